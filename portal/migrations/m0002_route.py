"""Trajecten through the support route: route snapshots, phase visits and transitions."""


def up(db):
    from portal.route.models import PhaseVisit, RouteVersion, Traject, Transition

    db.create_tables([RouteVersion, Traject, PhaseVisit, Transition])
