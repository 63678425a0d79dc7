"""Demo profiles for the demo trainers and ITS teachers (a hook of `lms demo`)."""
from lms.auth.models import User
from lms.dbtypes import utcnow
from lms.extensions import db
from lms.profiles import rules

# email -> headline, bio, languages, competences {slug: level}, free tags (can teach), free tags (expert)
DEMO = {
    "giulia.ferri@officina.example": (
        "Automation engineer — IIoT, digital twins and predictive maintenance for SMEs",
        "I spent ten years commissioning packaging machines before moving to a competence centre, where I now "
        "help small manufacturers connect their machines and use the data.\n\n"
        "**I teach** *Digitalization 101*: connectivity and IIoT, simulation up to the digital twin, and how to "
        "start with condition monitoring before promising predictive maintenance.\n\n"
        "- Retrofitting old machines with sensors and an edge gateway\n"
        "- OPC UA and MQTT in practice\n"
        "- A digital twin of a packaging line, from CAD to virtual commissioning",
        ["it", "en"],
        {"iiot": "can_teach", "digital-twin": "expert", "predictive-maintenance": "can_teach",
         "opc-ua-mqtt": "can_teach", "virtual-commissioning": "can_teach", "condition-monitoring": "can_teach"},
        "plc programming", "",
    ),
    "paolo.marchetti@officina.example": (
        "HR analyst — people data, change management and the rules on monitoring workers",
        "Work psychologist and HR analyst. I help HR offices of manufacturing firms build their first people "
        "dashboard and introduce new ways of working without losing their people's trust.\n\n"
        "**I teach** *Digital HR*: which HR data and indicators matter, change management, and the limits set "
        "by the GDPR and art. 4 of the Statuto dei lavoratori.",
        ["it", "en"],
        {"hr-analytics": "expert", "change-management": "can_teach", "gdpr-worker-monitoring": "can_teach",
         "people-dashboards": "can_teach"},
        "", "",
    ),
    "elena.ricci@officina.example": (
        "ITS teacher — digital strategy, open innovation and digital twins",
        "I teach innovation management at an ITS foundation and coach small firms through their first "
        "digital-transformation plan: maturity assessment, start-up scouting and projects with research centres.",
        ["it", "en", "fr"],
        {"digital-strategy": "expert", "open-innovation": "expert", "startup-scouting": "can_teach",
         "digital-twin": "can_teach", "data-driven-business-models": "can_teach"},
        "", "",
    ),
    "its@officina.example": (
        "ITS coordinator — digital skills for technicians",
        "I coordinate the mechatronics courses of an ITS foundation and the work placements of our students "
        "in local firms.",
        ["it"],
        {"digital-skills-assessment": "expert", "lean-digital": "can_teach", "smart-working": "can_teach"},
        "", "",
    ),
}


def demo_profiles():
    """Fill the profiles of the demo trainers that exist; a profile someone already filled is left as it is."""
    now = utcnow()
    for email, (headline, bio, languages, competences, teach, expert) in DEMO.items():
        user = User.by_email(email)
        if user is None:
            continue
        profile = rules.get_or_create_profile(user, now)
        if profile.headline or profile.competences:
            continue  # filled before (by a previous run or by the person): never overwrite
        changes = rules.ProfileChanges(headline=headline, bio=bio, organisation_id=profile.organisation_id,
                                       languages=languages, visibility="public", competences=competences,
                                       teach_tags=teach, expert_tags=expert)
        rules.apply_changes(profile, rules.clean_changes(profile, changes), now)
    db.session.flush()
