from portal.plugin import Action, FormType, Guard, MeetingType, Phase, Route, Section, TransitionField, has_text

SOURCE = "ondersteuningsroute SWV Voorbeeldregio 2024"
TABLE = "voorbeeldregio.arrangeertafel"
CHAIR_CALL = "chair_call"  # transition data: when the chair of the table was consulted

MEETING_TYPES = (
    MeetingType(TABLE, "Arrangeertafel", "School, ouders, SWV en jeugdhulp kiezen samen een arrangement.",
                ("ondersteuningscoördinator", "ouders", "SWV", "jeugdhulp"), ("Hulpvraag", "Arrangement"),
                f"{SOURCE}, §3"),
)

FORMS = (
    FormType("voorbeeldregio.aanmelding", "Aanmelding arrangeertafel", "Hulpvraag, wat al is gedaan en wat nodig is.",
             f"{SOURCE}, bijlage 1"),
)

SECTIONS = (
    Section("voorbeeldregio.arrangementen", "Arrangementen", "Afspraken van de arrangeertafel.", f"{SOURCE}, §3"),
)

PHASES = (
    Phase("voorbeeldregio.signaleren", "Signaleren", "De mentor ziet en bespreekt wat nodig is.", ("mentor",),
          order=10, meeting_types=("vo.mentorgesprek", "vo.oudergesprek"), source=f"{SOURCE}, §1"),
    Phase("voorbeeldregio.intern", "Intern ondersteuningsteam", "Het team stelt aanvullende ondersteuning voor.",
          ("zorg",), order=20, meeting_types=("vo.ondersteuningsteam",), source=f"{SOURCE}, §2"),
    Phase(TABLE, "Arrangeertafel", "Samen met het SWV een arrangement kiezen.", ("zorg", "swv"), order=30,
          meeting_types=(TABLE, "vo.mdo"), forms=("voorbeeldregio.aanmelding", "vo.tlv_vso"),
          source=f"{SOURCE}, §3", jeugdhulp_contributions=("Jeugdhulp schuift aan en zegt toe wat zij bijdraagt.",)),
)

# A phase this region adds to the generic VO route (for its schools that keep that route): the loket.
LOKET = Phase("voorbeeldregio.loket", "Loket passend onderwijs", "Vragen die de school overstijgen.", ("zorg",),
              order=45, source=f"{SOURCE}, §4")


def _table_prerequisites(route, state, action, target, data):
    if target is None or target.key != TABLE or action not in (Action.ADVANCE, Action.SKIP, Action.ESCALATE):
        return []
    if action == Action.ESCALATE:
        return [] if has_text(data.get(CHAIR_CALL)) else [
            "Bij acute nood overlegt de school eerst met de voorzitter van de arrangeertafel. Leg vast wanneer."]
    open_phases = [p.label for p in route.before(TABLE) if not state.is_completed(p.key)]
    return [f"Nog niet geëvalueerd: {', '.join(open_phases)}. Alternatief: kies 'acute nood' na overleg met "
            "de voorzitter van de arrangeertafel."] if open_phases else []


GUARDS = (
    Guard("voorbeeldregio.tafel_voorwaarden", "Arrangeertafel: interne fasen afgerond of acute nood",
          "Naar de arrangeertafel na geëvalueerde interne fasen, of bij acute nood na overleg met de voorzitter.",
          f"{SOURCE}, §3", check=_table_prerequisites,
          fields=(TransitionField(CHAIR_CALL, "Overleg met de voorzitter (bij acute nood)",
                                  help="Wanneer is overlegd?"),),
          targets=(TABLE,)),
)

ROUTE = Route("voorbeeldregio.route", "Ondersteuningsroute SWV Voorbeeldregio", "VO", "2024-1", PHASES,
              source=SOURCE)
