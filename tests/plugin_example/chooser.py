"""A test plugin "chooser": its own PO route, chosen for every PO school through route_for_student."""

from portal.plugin import Phase, Route, hookimpl

ROUTE = Route(key="chooser.route", label="Kiesroute voor PO", sector="PO", version="1",
              phases=(Phase("chooser.start", "Startfase", "Beginnen.", ("mentor",), order=10,
                            meeting_types=("po.mdo",)),))


@hookimpl
def register_routes():
    return [ROUTE]


@hookimpl
def route_for_student(student, school, routes):
    return ROUTE.key if school.sector == "PO" else None
