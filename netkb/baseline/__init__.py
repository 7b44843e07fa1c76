"""The security baseline (GB/T 22239-2019, 等级保护 2.0): rules as data, judged on configs."""
