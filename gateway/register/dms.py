"""What the DMS jobs need, built once: the `[dms]` settings, the edXML backends, the package context, and
what it takes to write a message (the templates, the outgoing server, the admins to alert)."""

from __future__ import annotations

from dataclasses import dataclass, field

from jinja2.sandbox import SandboxedEnvironment

from gateway.config import AgencySettings, OutgoingSettings, Settings
from gateway.register.backend import DmsBackend, make_backends
from gateway.register.dms_settings import DmsSettings, dms_settings
from gateway.register.packages import PackageContext


@dataclass
class DmsRuntime:
    settings: DmsSettings
    backends: dict[str, DmsBackend]
    package: PackageContext
    templates: SandboxedEnvironment
    outgoing: OutgoingSettings
    agency: AgencySettings
    admins: tuple[str, ...] = field(default_factory=tuple)


def build_dms(settings: Settings, templates: SandboxedEnvironment, admins: tuple[str, ...]) -> DmsRuntime:
    dms = dms_settings(settings.section("dms"))
    return DmsRuntime(
        settings=dms,
        backends=make_backends(dms, our_organ_id=settings.agency.code),
        package=PackageContext(settings.agency, settings.outgoing.from_address, dms.attach_original_email),
        templates=templates,
        outgoing=settings.outgoing,
        agency=settings.agency,
        admins=admins,
    )
