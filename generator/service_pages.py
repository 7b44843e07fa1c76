"""The service records on the site: their data computed once into the site, and the incident
and asset sections added to the home and device pages, the requests' to the device and building
pages. Apart from service_site.py, which the page modules read the data through, so no module
imports one that imports it back."""

from __future__ import annotations

from netkb.generator.pages import assets
from netkb.generator.pages import incidents as incident_pages
from netkb.generator.pages import requests as request_pages
from netkb.generator.service_site import KEY, ServiceData, build_service
from netkb.generator.site import Site
from netkb.records.incidents import Incident
from netkb.records.requests import ServiceRequest


def attach_service(
    site: Site, incidents: list[Incident], requests: list[ServiceRequest] | None = None
) -> ServiceData:
    """Compute the service data into the site and register the home and device sections."""
    data = build_service(site, incidents, requests)
    site.extras[KEY] = data
    site.extras.setdefault("home_sections", []).extend([incident_pages.home_section, assets.home_section])
    site.extras.setdefault("device_sections", []).append(incident_pages.device_section)
    if requests:  # a project that records no request gets no empty section on every device
        site.extras["device_sections"].append(request_pages.device_section)
        site.extras.setdefault("building_sections", []).append(request_pages.building_section)
    return data
