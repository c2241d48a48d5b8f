"""A school's own labels and meeting types within the SWV's route."""


def up(db):
    from portal.route.models import SchoolPhaseSetting

    db.create_tables([SchoolPhaseSetting])
