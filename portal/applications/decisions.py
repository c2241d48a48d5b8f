"""What other packages read of applications below their workflow: the registered types (by key, with a neutral
name for a type whose plugin is disabled) and the decisions in force (the route reads binding advices here).

A rule-level module: it reads the registry and the stored rows, and changes nothing (``services.py`` does).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from flask import current_app

from portal.applications.models import Application, ApplicationStep
from portal.applications.types import ADVICE_TEXT, ADVISED_STEP, ApplicationType
from portal.applications.workflow import Action, Status


def types() -> dict[str, ApplicationType]:
    """Every application type of the enabled plugins, by key (as adjusted by other plugins)."""
    return current_app.extensions["registry"].application_types


def type_of(application: Application) -> ApplicationType:
    """The application's type; one whose plugin is no longer enabled stays readable under a neutral name."""
    return types().get(application.type_key) or _disabled_type(application.type_key)


def _disabled_type(key: str) -> ApplicationType:
    from flask_babel import gettext

    return ApplicationType(key=key, label=gettext("Aanvraag (de plugin van deze soort is uitgeschakeld)"),
                           description="", source="", signatures=False)


def type_label(key: str) -> str:
    kind = types().get(key)
    return kind.label if kind else _disabled_type(key).label


def decision_of(application: Application) -> dict:
    return json.loads(application.decision_data or "{}")


@dataclass(frozen=True)
class BindingDecision:
    """A granted application whose decision names the advised next step (``ADVISED_STEP``)."""

    type_key: str
    label: str
    advised: str
    text: str
    weight: str
    decided_at: dt.datetime
    link: str


def binding_decisions(student_id: int, type_keys, since: dt.datetime) -> list[BindingDecision]:
    """The student's granted applications of these types decided since ``since``, newest first."""
    if not type_keys:
        return []
    rows = (Application.select().where((Application.student == student_id) & Application.type_key.in_(list(type_keys))
                                       & (Application.decision == Status.GRANTED))
            .order_by(Application.id.desc()))
    found = []
    for application in rows:
        grant = (ApplicationStep.select().where((ApplicationStep.application == application.id)
                                                & (ApplicationStep.action == Action.GRANT.value))
                 .order_by(ApplicationStep.at.desc()).first())
        values = decision_of(application)
        if grant is None or grant.at < since or not values.get(ADVISED_STEP):
            continue
        kind = type_of(application)
        found.append(BindingDecision(type_key=application.type_key, label=kind.label,
                                     advised=str(values[ADVISED_STEP]), text=str(values.get(ADVICE_TEXT) or ""),
                                     weight=kind.advice_weight, decided_at=grant.at,
                                     link=f"/aanvragen/{application.id}"))
    return sorted(found, key=lambda d: d.decided_at, reverse=True)
