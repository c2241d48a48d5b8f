"""Test plugins around application types: one registers a type with criteria, another replaces its criteria
(an SWV's own), a third returns something that is not a replacement."""

import dataclasses

from portal.plugin import ApplicationType, Assessment, hookimpl

CRITERIA = {"iq_max": 80}
OWN_CRITERIA = {"iq_max": 85}

KIND = ApplicationType(key="example.aanvraag", label="Voorbeeldaanvraag", description="Een aanvraag om te testen.",
                       source="tests", assessment=Assessment(key="example.check", label="Controle",
                                                             compute=lambda data, criteria: data, criteria=CRITERIA))


class Registers:
    @staticmethod
    @hookimpl
    def register_forms():
        return [KIND]


class Adjusts:
    @staticmethod
    @hookimpl
    def adjust_application_type(application_type):
        if application_type.key != KIND.key:
            return None
        return dataclasses.replace(application_type,
                                   assessment=dataclasses.replace(application_type.assessment, criteria=OWN_CRITERIA))


class Breaks:
    @staticmethod
    @hookimpl
    def adjust_application_type(application_type):
        return dataclasses.replace(application_type, key="example.iets_anders")
