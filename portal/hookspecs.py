"""Hook specifications: the contract between the core and plugins.

Every spec's docstring has the same layout: purpose, ``Parameters``, ``Returns``, and ``Answer`` (whether all
answers are collected or the first one wins). Hooks return data; the core registers it. The annotations name the
types as ``portal.plugin`` exports them (``Blueprint`` is Flask's); docs/plugins.md repeats each signature and a
test keeps the two equal. The core's own contributions come through these hooks too (``portal.core_plugin``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import pluggy

if TYPE_CHECKING:  # the types live in their packages; portal.plugin re-exports them all for plugins
    from collections.abc import Mapping

    from flask import Blueprint

    from portal.applications.types import ApplicationType
    from portal.dossier.sections import Section
    from portal.migrations import Migration
    from portal.notifications.reminders import ReminderKind
    from portal.policy import Actor
    from portal.registry import NavItem
    from portal.route.definition import FormType, Guard, MeetingType, Phase, Route
    from portal.scheduler import Job

hookspec = pluggy.HookspecMarker("portal")
hookimpl = pluggy.HookimplMarker("portal")


# --- what some hooks receive: core records, read-only; a plugin relies on these attributes only ----------------


class SchoolRecord(Protocol):
    """A school as ``route_for_student`` receives it."""

    id: int
    name: str
    sector: str  # "PO" or "VO"
    type_key: str  # the school's type: a key of SCHOOL_TYPES ("regulier_vo", "vso", "pro", ...)


class StudentRecord(Protocol):
    """A student as ``route_for_student`` receives it."""

    id: int
    school_id: int
    first_name: str
    last_name: str
    full_name: str
    group_id: int | None
    mentor_id: int | None


class TrajectRecord(Protocol):
    """A traject as ``after_transition`` receives it (after the transition)."""

    id: int
    student_id: int
    status: str  # a ``Status`` value
    current_phase: str | None
    cycle: int


@hookspec
def register_dossier_sections() -> list[Section]:
    """Dossier sections this plugin adds next to the core sections of the Drenthe annex 1.

    Parameters: none.
    Returns: a list of ``Section``; keys namespaced ``<plugin>.<name>``.
    Answer: all answers are collected; a duplicate key stops start-up.
    """


@hookspec
def register_blueprints() -> list[Blueprint]:
    """Flask blueprints this plugin serves (their views check the policy: ``require``, ``student_or_404``).

    Parameters: none.
    Returns: a list of ``flask.Blueprint``, registered after the core's.
    Answer: all answers are collected; a blueprint name defined twice stops start-up.
    """


@hookspec
def register_template_folder() -> str | None:
    """The folder holding this plugin's templates, served under the prefix ``<plugin>/``.

    Parameters: none.
    Returns: a path, or None.
    Answer: all answers are collected, one per plugin.
    """


@hookspec
def register_migrations() -> list[Migration]:
    """Schema migrations for this plugin's own models, applied after the core's by ``portal migrate``.

    Parameters: none.
    Returns: a list of ``Migration`` with the plugin's name as namespace.
    Answer: all answers are collected; the same namespace and name twice, or another plugin's namespace, stops
    start-up.
    """


@hookspec
def nav_items() -> list[NavItem]:
    """Items of the main navigation, shown to actors who hold the item's feature.

    Parameters: none.
    Returns: a list of ``NavItem``, placed by ``order``; the feature must be one ``portal.policy`` knows.
    Answer: all answers are collected; a duplicate key stops start-up.
    """


# --- the support route ---------------------------------------------------------------------------------------


@hookspec
def register_routes() -> list[Route]:
    """Support routes this plugin defines (a sector's route, or a region's own route for a sector).

    Parameters: none.
    Returns: a list of ``Route``; keys namespaced ``<plugin>.<name>``; a phase's ``lead_roles`` are roles of
    ``portal.policy.ROLES`` (an unknown role stops start-up).
    Answer: all answers are collected; a duplicate route key stops start-up.
    """


@hookspec
def extend_routes(routes: Mapping[str, Route]) -> list[tuple[str, list[Phase]]]:
    """Phases this plugin adds to another plugin's route (read from ``routes``, never by importing it).

    Parameters: ``routes``: the registered routes by key, before extensions.
    Returns: a list of ``(route_key, [Phase, ...])`` pairs; the phases are sorted in by their ``order``.
    Answer: all answers are collected; a phase key that already exists in the route stops start-up.
    """


@hookspec
def register_meeting_types() -> list[MeetingType]:
    """Meeting types this plugin defines; phases of any route may name them by key.

    Parameters: none.
    Returns: a list of ``MeetingType``.
    Answer: all answers are collected; a duplicate key stops start-up.
    """


@hookspec
def register_forms() -> list[FormType]:
    """Forms and applications (TLV, aanwijzing, aanvraag) this plugin defines; phases name them by key.

    Parameters: none.
    Returns: a list of ``FormType`` (a named form) or ``ApplicationType`` (its richer successor: an application
    to the SWV with its fields, needed documents and advices, guards and decision fields).
    Answer: all answers are collected; a duplicate key stops start-up.
    """


@hookspec
def adjust_application_type(application_type: ApplicationType) -> ApplicationType | None:
    """Replace another plugin's application type, e.g. an SWV's own PrO/LWOO criteria or advice terms.

    Parameters: ``application_type``, an ``ApplicationType`` as registered (or as adjusted by a plugin
    registered earlier).
    Returns: a replacement with the same key (usually ``dataclasses.replace(application_type, ...)``), or None
    to leave it as it is.
    Answer: every implementation is asked for every application type, in plugin order.
    """


@hookspec
def register_guards() -> list[Guard]:
    """Rules that may veto a transition of a traject, with Dutch reasons naming the alternatives.

    Parameters: none.
    Returns: a list of ``Guard``; each guard is asked for every transition of every
    route and returns no reasons when the transition does not concern it.
    Answer: all answers are collected; a duplicate key stops start-up.
    """


@hookspec(firstresult=True)
def route_for_student(student: StudentRecord | None, school: SchoolRecord,
                      routes: Mapping[str, Route]) -> str | None:
    """The key of the route a new traject of this student follows.

    Parameters: ``student`` and ``school``, read-only records with the attributes of ``StudentRecord`` and
    ``SchoolRecord`` (``student`` is None when the school's route is asked, e.g. for the school's own settings);
    ``routes``: the registered routes by key.
    Returns: a route key, or None to leave the choice to others. The core's default answers last with the
    first route of the school's sector.
    Answer: the first answer that is not None wins.
    """


@hookspec(firstresult=True)
def opp_in_rod(school: SchoolRecord) -> bool | None:
    """Whether the OPPs of this school are registered in the ROD (Register Onderwijsdeelnemers); not, for example,
    at a school for VSO or praktijkonderwijs, which draws up an OPP for every student (seed 004 §2.2).

    Parameters: ``school``, a read-only record with the attributes of ``SchoolRecord`` (``type_key``: the school's
    type, a key of ``SCHOOL_TYPES``).
    Returns: True or False, or None to leave the answer to others; when nobody answers the OPPs are registered.
    Answer: the first answer that is not None wins.
    """


@hookspec
def after_transition(traject: TrajectRecord, action: str, actor: Actor) -> None:
    """Called after a transition of a traject is stored (in the same transaction).

    Parameters: ``traject``, a read-only record with the attributes of ``TrajectRecord``; ``action`` (an
    ``Action`` value) and the ``Actor`` who made it.
    Returns: nothing.
    Answer: every implementation is called.
    """


# --- reminders, tasks and background jobs --------------------------------------------------------------------


@hookspec
def register_reminder_kinds() -> list[ReminderKind]:
    """Kinds of dated items people must act on: reminded by the scheduler and listed under "mijn acties".

    A kind lists its *open* items from the data (never stored as scheduled jobs). Each ``DueItem`` names the
    object (``object_id``), its ``due_date``, a ``title`` (shown in the portal only; mails never carry it), the
    portal ``link``, ``school_id`` and ``student_id``, and who must act: ``user_ids`` and/or the teachers of
    ``group_id``, school ``roles``, and ``emails`` of outside participants (mailed ``email_link``, or without one
    a pointer to the personal meeting link they received). ``offsets`` are the days relative to the due date on which to remind (default ``(-7, 1)``: a
    week before and once overdue; ``()`` lists tasks without reminding). The core claims one reminder per
    (kind, object, due date, offset) exactly once, sends only the latest offset whose day has come, falls back
    to the school's care coordinator (role ``zorg``) when no named recipient is still active at the school, and
    skips students who have left. Finished items (evaluated phases, stopped trajecten, done actions) must simply
    not be listed.

    Parameters: none.
    Returns: a list of ``ReminderKind``; keys namespaced ``<plugin>.<name>``.
    Its ``items(scope)`` receives a ``Scope``: the read helpers (``open_phase_visits(scope)``) and, in the core,
    ``scope.limit(query, Model.student)`` keep to the students the asking user may see (no limit for the
    scheduler); ``scope.user_id`` is the asking user, whose own items (e.g. meeting actions they own) belong in
    their task list even outside that limit.
    Answer: all answers are collected; a duplicate key stops start-up.
    """


@hookspec
def register_jobs() -> list[Job]:
    """Background jobs run by ``portal scheduler`` (its own process, never inside the web server).

    Parameters: none.
    Returns: a list of ``Job``; a job runs in an app context with the database connected and
    must be safe to run twice at once (claim work with a unique key, as the reminders do).
    Answer: all answers are collected; a duplicate key stops start-up.
    """
