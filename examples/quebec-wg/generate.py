#!/usr/bin/env python3
"""Generate the example case ``examples/quebec-wg`` in kb import format v1.

A fictional Québec community working group (WG) of citizens and community organizations
that, over 2015-2018, builds ties with public actors after the 2015 health-system reforms.
Persons and organizations are fictional; the kinds of bodies and the reform dates (Bill 10
in force 2015-04-01, Bill 20 adopted 2015-11-10) are real.

The narrative (territories, organizations, persons, memberships, meetings, documents,
problems, stances, ties and the quote templates) is hand-authored below. The fixed-seed
random generator only fills in: pre-existing ties inside each community cluster, weights,
who among the WG members attends each WG meeting, interview dates and time codes, which
quote variant supports which tie, and coders. Running the script twice writes
byte-identical files.

Usage:
    python examples/quebec-wg/generate.py          # write the CSVs, check them, print counts

Standard library only.
"""

from __future__ import annotations

import csv
import io
import random
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20150401
REFORM_DAY = "2015-04-01"
# kb reads spells as closed intervals of days (an end date is the last active day), so what
# the reform ends, ends on its eve.
EVE = "2015-03-31"

# The hand-authored narrative below is laid out as aligned tables, one record per entry;
# the formatter is kept off it.
# fmt: off

# --------------------------------------------------------------------------------------
# Territories
# --------------------------------------------------------------------------------------

TERRITORIES = [
    # id, name, kind, parent
    ("qc", "Québec", "province", ""),
    ("reg-cn", "Centre-Nord (fictional health region)", "region", "qc"),
    ("rls-riviere", "RLS de la Rivière (fictional)", "local service network (RLS)", "reg-cn"),
    ("rls-plateau", "RLS du Plateau-Est (fictional)", "local service network (RLS)", "reg-cn"),
    ("rls-vallee", "RLS de la Vallée (fictional)", "local service network (RLS)", "reg-cn"),
]

# --------------------------------------------------------------------------------------
# Organizations
# --------------------------------------------------------------------------------------

FICT_ORG = "fictional organization; real kind of body"

ORGANIZATIONS = [
    # id, name, kind, sector, territory, description
    # --- public: before Bill 10
    ("agence-cn", "Agence de la santé et des services sociaux du Centre-Nord (fictional)",
     "agency", "public", "reg-cn",
     "Regional health and social services agency; administered PSOC funding until 2015-03-31"),
    ("csss-riviere", "CSSS de la Rivière (fictional)", "public institution", "public",
     "rls-riviere", "Health and social services centre coordinating the Rivière RLS"),
    ("csss-plateau", "CSSS du Plateau-Est (fictional)", "public institution", "public",
     "rls-plateau", "Health and social services centre coordinating the Plateau-Est RLS"),
    ("clsc-riviere", "CLSC de la Rivière (fictional)", "public institution", "public",
     "rls-riviere", "Local community service centre, a facility of the CSSS de la Rivière"),
    ("clsc-plateau", "CLSC du Plateau-Est (fictional)", "public institution", "public",
     "rls-plateau", "Local community service centre, a facility of the CSSS du Plateau-Est"),
    ("cj-cn", "Centre jeunesse du Centre-Nord (fictional)", "public institution", "public",
     "reg-cn", "Youth centre (youth protection and rehabilitation)"),
    ("crdp-cn", "Centre de réadaptation en déficience physique du Centre-Nord (fictional)",
     "public institution", "public", "rls-vallee", "Physical rehabilitation centre"),
    # --- public: after Bill 10
    ("ciusss-cn", "CIUSSS du Centre-Nord (fictional)", "public institution", "public",
     "reg-cn", "Integrated university health and social services centre created by Bill 10"),
    # --- public: other levels
    ("msss", "Ministère de la Santé et des Services sociaux (MSSS)", "ministry", "public",
     "qc", "Québec ministry of health and social services (real body; staff are fictional)"),
    ("ville-riviere", "Ville de la Rivière (fictional)", "municipality", "public",
     "rls-riviere", "Municipality; social development office"),
    ("transport-adapte", "Service de transport adapté de la Rivière (fictional)",
     "public institution", "public", "rls-riviere", "Paratransit service"),
    ("cs-riviere", "Commission scolaire de la Rivière (fictional)", "public institution",
     "public", "rls-riviere", "School board; complementary student services"),
    # --- community
    ("wg", "Groupe de travail sur l'accès aux services (fictional)", "working group",
     "community", "rls-riviere",
     "The community working group of the case; covers Rivière and Plateau-Est"),
    ("cdc-riviere", "CDC de la Rivière (fictional)", "community development corporation",
     "community", "rls-riviere", "Community development corporation hosting the WG"),
    ("table-aines", "Table des aînés de la Rivière (fictional)", "concertation table",
     "community", "rls-riviere", "Local concertation table of seniors' organizations"),
    ("table-jeunesse", "Table jeunesse du Plateau-Est (fictional)", "concertation table",
     "community", "rls-plateau", "Local concertation table of youth organizations"),
    ("cab-aines", "Centre d'action bénévole Les Aînés actifs (fictional)",
     "community organization", "community", "rls-riviere", "Volunteer centre serving seniors"),
    ("accueil-immigrants", "Accueil Immigrants Rivière (fictional)", "community organization",
     "community", "rls-riviere", "Settlement services for immigrants"),
    ("carrefour-cc", "Carrefour des communautés culturelles (fictional)",
     "community organization", "community", "rls-riviere",
     "Association of ethnocultural minority communities"),
    ("mdj-tremplin", "Maison des jeunes Le Tremplin (fictional)", "community organization",
     "community", "rls-riviere", "Youth drop-in centre (12-17)"),
    ("rph-riviere", "Regroupement des personnes handicapées de la Rivière (fictional)",
     "community organization", "community", "rls-riviere",
     "Advocacy group of people with disabilities"),
    ("le-phare", "Le Phare, ressource jeunesse en santé mentale (fictional)",
     "community organization", "community", "rls-plateau", "Youth mental-health resource"),
    ("popote-plateau", "Popote roulante du Plateau (fictional)", "community organization",
     "community", "rls-plateau", "Meals on wheels for seniors"),
    ("femmes-monde", "Femmes du monde du Plateau (fictional)", "community organization",
     "community", "rls-plateau", "Centre for immigrant women and families"),
    ("roc-cn", "Regroupement des organismes communautaires du Centre-Nord (fictional)",
     "community organization", "community", "reg-cn",
     "Regional coalition of community organizations (ROC)"),
    # --- citizen
    ("comite-usagers", "Comité des usagers de la Rivière (fictional)", "citizen group",
     "citizen", "rls-riviere",
     "Users' committee of the former CSSS de la Rivière, kept under the CIUSSS"),
    ("assoc-residents", "Association des résidents du Vieux-Moulin (fictional)",
     "citizen group", "citizen", "rls-riviere", "Neighbourhood residents' association"),
    # --- private
    ("gmf-riviere", "GMF de la Rivière (fictional)", "family medicine group", "private",
     "rls-riviere", "Family medicine group (physician-owned clinic)"),
    ("fondation-desrosiers", "Fondation Desrosiers (fictional)", "private foundation",
     "private", "reg-cn", "Private foundation funding the WG's mobilization stage"),
]

ORG_SHORT = {
    "agence-cn": "l'Agence", "csss-riviere": "le CSSS de la Rivière",
    "csss-plateau": "le CSSS du Plateau-Est", "clsc-riviere": "le CLSC de la Rivière",
    "clsc-plateau": "le CLSC du Plateau-Est", "cj-cn": "le Centre jeunesse",
    "crdp-cn": "le centre de réadaptation", "ciusss-cn": "le CIUSSS", "msss": "le MSSS",
    "ville-riviere": "la Ville", "transport-adapte": "le transport adapté",
    "cs-riviere": "la commission scolaire", "wg": "le groupe de travail",
    "cdc-riviere": "la CDC", "table-aines": "la Table des aînés",
    "table-jeunesse": "la Table jeunesse", "cab-aines": "le CAB Les Aînés actifs",
    "accueil-immigrants": "Accueil Immigrants", "carrefour-cc": "le Carrefour",
    "mdj-tremplin": "la Maison des jeunes", "rph-riviere": "le Regroupement",
    "le-phare": "Le Phare", "popote-plateau": "la Popote", "femmes-monde": "Femmes du monde",
    "roc-cn": "le ROC", "comite-usagers": "le comité des usagers",
    "assoc-residents": "l'association des résidents", "gmf-riviere": "le GMF",
    "fondation-desrosiers": "la Fondation",
}

# --------------------------------------------------------------------------------------
# Persons (all fictional)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    sector: str
    territory: str
    org: str  # main organization (for quotes)
    description: str
    present_from: str = ""  # first day in the observed network ("" = before 2015)
    present_to: str = ""  # last day in the observed network ("" = to the end)

    @property
    def first(self) -> str:
        return self.name.split()[0]


P = Person
PERSONS = [
    # --- community
    P("p-lsimard", "Louise Simard", "community", "rls-riviere", "cdc-riviere",
      "Development officer at the CDC; coordinator of the working group (broker)"),
    P("p-dlavoie", "Daniel Lavoie", "community", "rls-riviere", "cdc-riviere",
      "Director of the CDC de la Rivière"),
    P("p-kdiallo", "Kadiatou Diallo", "community", "rls-riviere", "accueil-immigrants",
      "Coordinator, Accueil Immigrants Rivière"),
    P("p-anguyen", "Anh Nguyen", "community", "rls-riviere", "accueil-immigrants",
      "Community worker for immigrant seniors, Accueil Immigrants (hired 2016)", "2016-01-11"),
    P("p-rtremblay", "Robert Tremblay", "community", "rls-riviere", "cab-aines",
      "Director, CAB Les Aînés actifs"),
    P("p-mthibault", "Marc Thibault", "community", "rls-riviere", "cab-aines",
      "Volunteer coordinator, CAB Les Aînés actifs"),
    P("p-nbeaulieu", "Nathalie Beaulieu", "community", "rls-riviere", "table-aines",
      "Coordinator, Table des aînés de la Rivière"),
    P("p-jpierre", "Jean-Robert Pierre", "community", "rls-riviere", "carrefour-cc",
      "President, Carrefour des communautés culturelles"),
    P("p-yrahimi", "Yasmine Rahimi", "community", "rls-riviere", "carrefour-cc",
      "Community worker, Carrefour des communautés culturelles"),
    P("p-mgirard", "Mélanie Girard", "community", "rls-riviere", "mdj-tremplin",
      "Coordinator, Maison des jeunes Le Tremplin"),
    P("p-bnadeau", "Benoît Nadeau", "community", "rls-riviere", "mdj-tremplin",
      "Youth worker, Maison des jeunes Le Tremplin"),
    P("p-fouellet", "François Ouellet", "community", "rls-riviere", "rph-riviere",
      "Director, Regroupement des personnes handicapées"),
    P("p-vlapointe", "Valérie Lapointe", "community", "rls-riviere", "rph-riviere",
      "Advocacy officer (transport file), Regroupement des personnes handicapées"),
    P("p-cmorin", "Chantal Morin", "community", "rls-plateau", "le-phare",
      "Clinical coordinator, Le Phare"),
    P("p-hdumont", "Hélène Dumont", "community", "rls-plateau", "le-phare",
      "Director, Le Phare"),
    P("p-gcote", "Gilles Côté", "community", "rls-plateau", "popote-plateau",
      "Coordinator, Popote roulante du Plateau"),
    P("p-shaddad", "Samira Haddad", "community", "rls-plateau", "femmes-monde",
      "Family worker, Femmes du monde du Plateau"),
    P("p-ebouchard", "Émilie Bouchard", "community", "rls-plateau", "table-jeunesse",
      "Coordinator, Table jeunesse du Plateau-Est"),
    P("p-pgauthier", "Pierre Gauthier", "community", "reg-cn", "roc-cn",
      "Coordinator, regional coalition of community organizations (ROC)"),
    P("p-ialvarez", "Isabel Alvarez", "community", "rls-riviere", "wg",
      "Mobilization officer of the WG (foundation-funded post, 2017-2018)", "2017-01-09"),
    # --- citizens
    P("p-glemieux", "Georgette Lemieux", "citizen", "rls-riviere", "comite-usagers",
      "Retired nurse; users' committee member and WG citizen member (broker)"),
    P("p-tleblanc", "Thérèse Leblanc", "citizen", "rls-riviere", "comite-usagers",
      "Senior; president of the users' committee"),
    P("p-mpaquette", "Monique Paquette", "citizen", "rls-riviere", "assoc-residents",
      "Caregiver of her husband"),
    P("p-jmartel", "Jacques Martel", "citizen", "rls-riviere", "assoc-residents",
      "Retired teacher; residents' association"),
    P("p-amensah", "Akosua Mensah", "citizen", "rls-plateau", "femmes-monde",
      "Immigrant mother of two teenagers; WG citizen member"),
    P("p-ahassan", "Ahmed Hassan", "citizen", "rls-riviere", "carrefour-cc",
      "Immigrant senior; later a volunteer resource navigator"),
    P("p-kmbaye", "Khadija Mbaye", "citizen", "rls-plateau", "femmes-monde",
      "Volunteer interpreter; WG citizen member from 2017"),
    P("p-rbelanger", "Roger Bélanger", "citizen", "rls-riviere", "rph-riviere",
      "Wheelchair user; disability-rights advocate; WG citizen member"),
    P("p-sfortin", "Sylvie Fortin", "citizen", "rls-riviere", "rph-riviere",
      "Parent of a young adult with a physical disability"),
    P("p-ltran", "Linh Tran", "citizen", "rls-riviere", "mdj-tremplin",
      "Young adult; youth representative on the WG from 2017"),
    P("p-ocharles", "Olivia Charles", "citizen", "rls-plateau", "le-phare",
      "CEGEP student; peer helper; WG citizen member from 2017"),
    # --- public
    P("p-mgagnon", "Martine Gagnon", "public", "rls-riviere", "ciusss-cn",
      "Community organizer of the CLSC de la Rivière, then of the CIUSSS (broker)"),
    P("p-pleclerc", "Paul Leclerc", "public", "rls-plateau", "clsc-plateau",
      "Community organizer of the CLSC du Plateau-Est; post not renewed, retired 2015-09",
      "", "2015-09-30"),
    P("p-abergeron", "André Bergeron", "public", "rls-riviere", "csss-riviere",
      "Director of community services, CSSS de la Rivière; post abolished by Bill 10",
      "", EVE),
    P("p-sroy", "Sophie Roy", "public", "rls-riviere", "ciusss-cn",
      "Social worker, home care for seniors (CSSS, then CIUSSS)"),
    P("p-mrobitaille", "Michel Robitaille", "public", "rls-plateau", "ciusss-cn",
      "Front-line nurse, CLSC du Plateau-Est (CSSS, then CIUSSS)"),
    P("p-clarouche", "Claire Larouche", "public", "reg-cn", "ciusss-cn",
      "PSOC planning officer (Agence, then CIUSSS)"),
    P("p-kbrault", "Karine Brault", "public", "reg-cn", "cj-cn",
      "Youth worker, Centre jeunesse (then CIUSSS); left the region in 2016-01",
      "", "2016-01-31"),
    P("p-cdesjardins", "Caroline Desjardins", "public", "rls-vallee", "ciusss-cn",
      "Social worker, rehabilitation centre (then CIUSSS)"),
    P("p-dmercier", "Denis Mercier", "public", "reg-cn", "ciusss-cn",
      "Director, seniors' autonomy support programme (SAPA), CIUSSS", REFORM_DAY),
    P("p-jlachance", "Julie Lachance", "public", "reg-cn", "ciusss-cn",
      "Head, youth mental-health programme, CIUSSS", "2016-04-04"),
    P("p-ifarah", "Ines Farah", "public", "rls-plateau", "ciusss-cn",
      "Community organizer hired by the CIUSSS for Plateau-Est", "2016-09-06"),
    P("p-nsaintlouis", "Nadia Saint-Louis", "public", "reg-cn", "ciusss-cn",
      "Liaison officer for ethnocultural communities, CIUSSS", "2017-03-06"),
    P("p-fduval", "Frédéric Duval", "public", "qc", "msss",
      "Analyst, community organizations file, MSSS"),
    P("p-egagne", "Éric Gagné", "public", "rls-riviere", "ville-riviere",
      "City councillor (2013-11 to 2017-11)", "", "2017-11-05"),
    P("p-lpoirier", "Lucie Poirier", "public", "rls-riviere", "ville-riviere",
      "Social development advisor, Ville de la Rivière"),
    P("p-rcaron", "Richard Caron", "public", "rls-riviere", "transport-adapte",
      "Manager, transport adapté"),
    P("p-abenoit", "Annie Benoît", "public", "rls-riviere", "cs-riviere",
      "Coordinator of complementary services, school board"),
    # --- private
    P("p-srenaud", "Simon Renaud", "private", "rls-riviere", "gmf-riviere",
      "Family physician, GMF de la Rivière"),
    P("p-vdesrosiers", "Véronique Desrosiers", "private", "reg-cn", "fondation-desrosiers",
      "Programme officer, Fondation Desrosiers"),
]
PERSON = {p.id: p for p in PERSONS}
ORG_SECTOR = {o[0]: o[3] for o in ORGANIZATIONS}
SECTOR = {**ORG_SECTOR, **{p.id: p.sector for p in PERSONS}}


def label(actor: str) -> str:
    """First name of a person, or the short name of an organization (for quotes)."""
    return PERSON[actor].first if actor in PERSON else ORG_SHORT[actor]


# --------------------------------------------------------------------------------------
# Reforms and stages (real dates)
# --------------------------------------------------------------------------------------

REFORMS = [
    ("bill-10",
     "Loi 10 — Loi modifiant l'organisation et la gouvernance du réseau de la santé et des "
     "services sociaux notamment par l'abolition des agences régionales",
     REFORM_DAY, "Québec",
     "LQ 2015, c. 1 (RLRQ c. O-7.2). Adopted 2015-02-07, in force 2015-04-01. Abolished the "
     "regional agencies and merged them with the CSSS and other public institutions into "
     "integrated centres (CISSS/CIUSSS); staff of merged bodies became employees of the "
     "successor institution on 2015-04-01."),
    ("bill-20",
     "Loi 20 — Loi édictant la Loi favorisant l'accès aux services de médecine de famille "
     "et de médecine spécialisée et modifiant diverses dispositions législatives en matière "
     "de procréation assistée",
     "2015-11-10", "Québec",
     "Tabled 2014-11-28, adopted 2015-11-10. Access to family and specialized medicine: "
     "minimum patient caseloads for physicians."),
]

REFORM_EFFECTS = [
    # reform, organization, effect, successor, date
    ("bill-10", "agence-cn", "abolished", "", REFORM_DAY),
    ("bill-10", "csss-riviere", "merged_into", "ciusss-cn", REFORM_DAY),
    ("bill-10", "csss-plateau", "merged_into", "ciusss-cn", REFORM_DAY),
    ("bill-10", "cj-cn", "merged_into", "ciusss-cn", REFORM_DAY),
    ("bill-10", "crdp-cn", "merged_into", "ciusss-cn", REFORM_DAY),
    ("bill-10", "ciusss-cn", "created", "", REFORM_DAY),
    ("bill-10", "clsc-riviere", "restructured", "", REFORM_DAY),
    ("bill-10", "clsc-plateau", "restructured", "", REFORM_DAY),
]
# organizations' last day, and first day
ORG_ENDS = {o: EVE for _, o, e, _, d in REFORM_EFFECTS if e in ("abolished", "merged_into")}
ORG_STARTS = {o: d for _, o, e, _, d in REFORM_EFFECTS if e == "created"}
ORG_STARTS["wg"] = "2015-06-17"

STAGES = [
    ("problem-definition", "Problem definition", "2015-06", "2016-12",
     "Members bring their existing networks together to validate access problems, then "
     "reach out as a group to public-sector contacts to learn what changed in the system "
     "after the 2015 reforms (ANT: problematization, interessement)."),
    ("mobilization", "Mobilization", "2017-01", "2018-12",
     "The community and public network equips a broader public to use public and community "
     "resources (workshops, resource guide, navigators); consensus on problems and on "
     "public-community interdependence (ANT: enrolment, mobilization)."),
]

# --------------------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------------------

DOCUMENTS = [
    # id, title, date, kind, author (actor id or empty)
    ("doc-loi10", "Loi modifiant l'organisation et la gouvernance du réseau de la santé et "
     "des services sociaux notamment par l'abolition des agences régionales (LQ 2015, c. 1)",
     "2015-02-07", "legislation", ""),
    ("doc-loi20", "Loi édictant la Loi favorisant l'accès aux services de médecine de famille "
     "et de médecine spécialisée (projet de loi 20)", "2015-11-10", "legislation", ""),
    ("doc-psoc-2014", "Confirmation des subventions PSOC 2014-2015 (fictional)", "2014-06",
     "funding letter", "agence-cn"),
    ("doc-ciusss-organigramme", "Organigramme du CIUSSS du Centre-Nord (fictional)", "2015-06",
     "organizational chart", "ciusss-cn"),
    ("doc-press-2016", "« Les organismes perdent leurs contacts au CLSC » (local newspaper, "
     "fictional)", "2016-01-20", "press article", ""),
    ("doc-min-2015-06-17", "Procès-verbal — rencontre de fondation du groupe de travail",
     "2015-06-17", "minutes", "p-lsimard"),
    ("doc-min-2015-09-16", "Procès-verbal — tour de table des situations d'accès bloqué",
     "2015-09-16", "minutes", "wg"),
    ("doc-min-2016-02-24", "Compte rendu — rencontre avec le service PSOC du CIUSSS",
     "2016-02-24", "minutes", "p-dlavoie"),
    ("doc-bulletin-2016-03", "Bulletin de la CDC de la Rivière, mars 2016", "2016-03",
     "newsletter", "cdc-riviere"),
    ("doc-ciusss-ra-2016", "Rapport annuel de gestion 2015-2016 du CIUSSS (fictional)",
     "2016-06", "annual report", "ciusss-cn"),
    ("doc-forum-2016", "Compte rendu du forum « Accès aux services : parlons-en »", "2016-07",
     "report", "wg"),
    ("doc-psoc-2016", "Confirmation des subventions PSOC 2016-2017 (fictional)", "2016-07",
     "funding letter", "ciusss-cn"),
    ("doc-memoire-2016", "Mémoire au CIUSSS : rétablir des portes d'entrée communautaires",
     "2016-09", "brief", "wg"),
    ("doc-portrait-2016", "Portrait des problèmes d'accès aux services — Rivière et "
     "Plateau-Est", "2016-11", "report", "wg"),
    ("doc-min-2016-11-16", "Procès-verbal — validation du portrait des problèmes",
     "2016-11-16", "minutes", "p-lsimard"),
    ("doc-fondation-2017", "Convention de subvention 2017-2018 — Fondation Desrosiers",
     "2017-01", "agreement", "fondation-desrosiers"),
    ("doc-min-2017-01-25", "Procès-verbal — plan de mobilisation 2017-2018", "2017-01-25",
     "minutes", "p-ialvarez"),
    ("doc-cc-2017-02-22", "Compte rendu — comité conjoint CIUSSS–communautaire (démarrage)",
     "2017-02-22", "minutes", "ciusss-cn"),
    ("doc-ciusss-plan-2017", "Plan d'action en organisation communautaire 2017-2020 "
     "(fictional)", "2017-04", "plan", "ciusss-cn"),
    ("doc-bulletin-2017-05", "Bulletin de la CDC de la Rivière, mai 2017", "2017-05",
     "newsletter", "cdc-riviere"),
    ("doc-ville-2017", "Résolution du conseil municipal — soutien au groupe de travail",
     "2017-06-05", "resolution", "ville-riviere"),
    ("doc-guide-2017", "Guide des ressources publiques et communautaires, 1re édition",
     "2017-10", "guide", "wg"),
    ("doc-entente-transport-2017", "Entente de collaboration — transport adapté et "
     "Regroupement des personnes handicapées", "2017-11", "agreement", "transport-adapte"),
    ("doc-bulletin-2018-04", "Bulletin de la CDC de la Rivière, avril 2018", "2018-04",
     "newsletter", "cdc-riviere"),
    ("doc-min-2018-11-28", "Procès-verbal — bilan 2015-2018", "2018-11-28", "minutes",
     "p-ialvarez"),
    ("doc-bilan-2018", "Bilan du groupe de travail 2015-2018", "2018-12", "report", "wg"),
]
DOC_DATE = {d[0]: d[2] for d in DOCUMENTS}

# --------------------------------------------------------------------------------------
# Memberships
# --------------------------------------------------------------------------------------

# evidence hint: "law" (Bill 10 s. 170, staff transfer), "chart" (CIUSSS org chart),
# "doc:<id>" (a document, p. 1), "obs:<meeting>" (field notes), "int" (the person's first
# interview), "" (none)
MEMBERSHIPS = [
    # person, organization, role, start, end, evidence hint
    ("p-lsimard", "cdc-riviere", "development officer", "2011-08", "", "int"),
    ("p-lsimard", "wg", "coordinator", "2015-06-17", "", "doc:doc-min-2015-06-17"),
    ("p-dlavoie", "cdc-riviere", "director", "2007", "", "int"),
    ("p-dlavoie", "wg", "member", "2015-06-17", "", "doc:doc-min-2015-06-17"),
    ("p-kdiallo", "accueil-immigrants", "coordinator", "2009", "", "int"),
    ("p-kdiallo", "wg", "member", "2015-06-17", "", "doc:doc-min-2015-06-17"),
    ("p-anguyen", "accueil-immigrants", "community worker", "2016-01-11", "", "int"),
    ("p-anguyen", "wg", "member", "2016-03-23", "", "obs:m-2016-03-23"),
    ("p-rtremblay", "cab-aines", "director", "2004", "", ""),
    ("p-rtremblay", "table-aines", "member (CAB delegate)", "2008", "", ""),
    ("p-rtremblay", "wg", "member", "2015-06-17", "", "doc:doc-min-2015-06-17"),
    ("p-mthibault", "cab-aines", "volunteer coordinator", "2012-05", "", ""),
    ("p-mthibault", "table-aines", "member (alternate CAB delegate)", "2016-04-13", "",
     "obs:m-2016-04-13"),
    ("p-nbeaulieu", "table-aines", "coordinator", "2010", "", "int"),
    ("p-nbeaulieu", "wg", "member", "2015-06-17", "", "doc:doc-min-2015-06-17"),
    ("p-jpierre", "carrefour-cc", "president", "2011", "", ""),
    ("p-jpierre", "wg", "member", "2015-06-17", "2017-06-14", "doc:doc-min-2015-06-17"),
    ("p-yrahimi", "carrefour-cc", "community worker", "2014-02", "", ""),
    ("p-yrahimi", "wg", "member (replaces the Carrefour's president)", "2017-06-14", "",
     "obs:m-2017-06-14"),
    ("p-mgirard", "mdj-tremplin", "coordinator", "2010", "", "int"),
    ("p-mgirard", "table-jeunesse", "member", "2012", "", ""),
    ("p-mgirard", "wg", "member", "2015-06-17", "", "doc:doc-min-2015-06-17"),
    ("p-bnadeau", "mdj-tremplin", "youth worker", "2015-01", "", ""),
    ("p-fouellet", "rph-riviere", "director", "2006", "", "int"),
    ("p-fouellet", "wg", "member", "2015-06-17", "", "doc:doc-min-2015-06-17"),
    ("p-vlapointe", "rph-riviere", "advocacy officer", "2013", "", ""),
    ("p-vlapointe", "wg", "member (alternate for the Regroupement)", "2017-01-25", "",
     "doc:doc-min-2017-01-25"),
    ("p-cmorin", "le-phare", "clinical coordinator", "2011", "", ""),
    ("p-cmorin", "table-jeunesse", "member", "2011", "", ""),
    ("p-cmorin", "wg", "member", "2016-01-20", "", "obs:m-2016-01-20"),
    ("p-hdumont", "le-phare", "director", "2008", "", ""),
    ("p-hdumont", "table-jeunesse", "member", "2008", "", ""),
    ("p-gcote", "popote-plateau", "coordinator", "2005", "", ""),
    ("p-shaddad", "femmes-monde", "family worker", "2012", "", ""),
    ("p-shaddad", "wg", "member", "2015-06-17", "", "doc:doc-min-2015-06-17"),
    ("p-ebouchard", "table-jeunesse", "coordinator", "2011", "", ""),
    ("p-pgauthier", "roc-cn", "coordinator", "2006", "", "int"),
    ("p-ialvarez", "wg", "mobilization officer (staff)", "2017-01-09", "2018-12-31",
     "doc:doc-fondation-2017"),
    ("p-glemieux", "comite-usagers", "member", "2012", "", "int"),
    ("p-glemieux", "wg", "citizen member", "2015-06-17", "", "doc:doc-min-2015-06-17"),
    ("p-tleblanc", "comite-usagers", "president", "2010", "", ""),
    ("p-mpaquette", "assoc-residents", "member", "2014", "", ""),
    ("p-jmartel", "assoc-residents", "president", "2012", "", ""),
    ("p-jmartel", "wg", "citizen member", "2015-09-16", "2016-12-31",
     "doc:doc-min-2015-09-16"),
    ("p-amensah", "femmes-monde", "participant member", "2013", "", ""),
    ("p-amensah", "wg", "citizen member", "2015-09-16", "", "doc:doc-min-2015-09-16"),
    ("p-ahassan", "carrefour-cc", "member", "2014", "", ""),
    ("p-kmbaye", "femmes-monde", "volunteer interpreter", "2015", "", ""),
    ("p-kmbaye", "wg", "citizen member", "2017-10-18", "", "obs:m-2017-10-18"),
    ("p-rbelanger", "rph-riviere", "board member", "2010", "", ""),
    ("p-rbelanger", "wg", "citizen member", "2015-09-16", "", "doc:doc-min-2015-09-16"),
    ("p-sfortin", "rph-riviere", "member", "2014", "", ""),
    ("p-ltran", "mdj-tremplin", "volunteer (former member)", "2016", "", ""),
    ("p-ltran", "wg", "youth representative", "2017-01-25", "", "doc:doc-min-2017-01-25"),
    ("p-ocharles", "le-phare", "peer helper", "2016-09", "", ""),
    ("p-ocharles", "wg", "citizen member", "2017-09-20", "", "obs:m-2017-09-20"),
    # public: the reform moves staff from the CSSS / agency / CJ / CRDP to the CIUSSS
    ("p-mgagnon", "clsc-riviere", "community organizer", "2006-09", EVE, "int"),
    ("p-mgagnon", "ciusss-cn", "community organizer (regional team)", REFORM_DAY, "", "law"),
    ("p-pleclerc", "clsc-plateau", "community organizer", "1998", EVE, "int"),
    ("p-pleclerc", "ciusss-cn", "community organizer (post not renewed)", REFORM_DAY,
     "2015-09-30", "law"),
    ("p-abergeron", "csss-riviere", "director of community services", "2011-05", EVE,
     "doc:doc-press-2016"),
    ("p-sroy", "clsc-riviere", "social worker, home care", "2010", EVE, ""),
    ("p-sroy", "ciusss-cn", "social worker, home care", REFORM_DAY, "", "law"),
    ("p-mrobitaille", "clsc-plateau", "nurse", "2007", EVE, ""),
    ("p-mrobitaille", "ciusss-cn", "nurse (Plateau-Est CLSC site)", REFORM_DAY, "", "law"),
    ("p-clarouche", "agence-cn", "PSOC planning officer", "2008", EVE, "int"),
    ("p-clarouche", "ciusss-cn", "PSOC planning officer", REFORM_DAY, "", "law"),
    ("p-kbrault", "cj-cn", "youth worker", "2009", EVE, ""),
    ("p-kbrault", "ciusss-cn", "youth worker", REFORM_DAY, "2016-01-31", "law"),
    ("p-cdesjardins", "crdp-cn", "social worker", "2010", EVE, ""),
    ("p-cdesjardins", "ciusss-cn", "social worker (rehabilitation programme)", REFORM_DAY, "",
     "law"),
    ("p-dmercier", "ciusss-cn", "director, SAPA programme", REFORM_DAY, "", "chart"),
    ("p-jlachance", "ciusss-cn", "head, youth mental-health programme", "2016-04-04", "",
     "int"),
    ("p-ifarah", "ciusss-cn", "community organizer (Plateau-Est)", "2016-09-06", "", "int"),
    ("p-nsaintlouis", "ciusss-cn", "liaison officer, ethnocultural communities", "2017-03-06",
     "", "doc:doc-ciusss-plan-2017"),
    ("p-fduval", "msss", "analyst, community organizations", "2012", "", ""),
    ("p-egagne", "ville-riviere", "city councillor", "2013-11", "2017-11-05", ""),
    ("p-lpoirier", "ville-riviere", "social development advisor", "2014-03", "", "int"),
    ("p-rcaron", "transport-adapte", "manager", "2011", "", ""),
    ("p-abenoit", "cs-riviere", "coordinator, complementary services", "2009", "", ""),
    ("p-srenaud", "gmf-riviere", "family physician", "2008", "", ""),
    ("p-vdesrosiers", "fondation-desrosiers", "programme officer", "2014", "",
     "doc:doc-fondation-2017"),
]

# --------------------------------------------------------------------------------------
# Meetings and attendance
# --------------------------------------------------------------------------------------

WG_MEETING = "working group meeting"


@dataclass
class Meeting:
    id: str
    title: str
    kind: str
    venue: str
    territory: str
    roles: dict[str, str]  # fixed attendees -> role (WG meetings add active WG members)
    note: str  # one line of field notes (quoted in the observation evidence)

    @property
    def date(self) -> str:
        return self.id[2:]


CDC_ROOM = "CDC de la Rivière (fictional), salle 2"
HQ = "CIUSSS du Centre-Nord (fictional), siège social"


def _roles(spec: str) -> dict[str, str]:
    """'chair:p-a,p-b guest:p-c' -> {p-a: chair, p-b: chair, p-c: guest}."""
    out: dict[str, str] = {}
    for part in spec.split():
        role, ids = part.split(":")
        for i in ids.split(","):
            out["p-" + i] = role.replace("_", " ")
    return out


M = Meeting
MEETINGS = [
    M("m-2015-06-17", "Rencontre de fondation du groupe de travail", WG_MEETING, CDC_ROOM,
      "rls-riviere", _roles("chair:lsimard guest:mgagnon"),
      "Dix personnes autour de la table; Martine (CLSC) explique qu'elle ne sait pas encore "
      "où elle sera affectée dans le CIUSSS."),
    M("m-2015-09-16", "Tour de table : situations d'accès bloqué", WG_MEETING, CDC_ROOM,
      "rls-riviere", _roles("chair:lsimard"),
      "Chaque membre nomme trois situations d'accès bloqué; 27 situations notées au tableau."),
    M("m-2015-10-21", "Que change la Loi 10 pour nous?", WG_MEETING, CDC_ROOM, "rls-riviere",
      _roles("chair:lsimard guest:mgagnon"),
      "Personne ne peut dire qui remplace le directeur des services communautaires du CSSS."),
    M("m-2015-11-25", "Séance d'information du CIUSSS sur la nouvelle structure",
      "meeting with public actors", HQ, "reg-cn",
      _roles("presenter:dmercier guest:mgagnon,sroy participant:lsimard,nbeaulieu,kdiallo,"
             "rtremblay,dlavoie,glemieux"),
      "Présentation de l'organigramme à trois paliers; les questions du groupe sur les "
      "contacts locaux restent sans réponse."),
    M("m-2016-01-20", "Priorisation des problèmes", WG_MEETING, CDC_ROOM, "rls-riviere",
      _roles("chair:lsimard"),
      "Vote à main levée: cinq problèmes retenus sur les 27 situations."),
    M("m-2016-02-24", "Rencontre avec le service PSOC du CIUSSS",
      "meeting with public actors", HQ, "reg-cn",
      _roles("presenter:clarouche chair:dlavoie participant:lsimard,pgauthier,rtremblay,"
             "hdumont"),
      "Le PSOC est maintenant géré par le CIUSSS; les organismes demandent un interlocuteur "
      "stable."),
    M("m-2016-03-23", "Rencontre régulière", WG_MEETING, CDC_ROOM, "rls-riviere",
      _roles("chair:lsimard guest:mgagnon"),
      "Arrivée d'Anh (Accueil Immigrants) au groupe; premier bilan des appels au CIUSSS."),
    M("m-2016-04-13", "Assemblée de la Table des aînés de la Rivière",
      "concertation table meeting", "Salle paroissiale Saint-Joseph (fictional)",
      "rls-riviere",
      _roles("chair:nbeaulieu participant:rtremblay,mthibault,glemieux,tleblanc "
             "guest:lsimard,sroy"),
      "La Table constate qu'elle n'a plus de siège au comité régional depuis l'abolition "
      "de l'Agence."),
    M("m-2016-05-18", "Rencontre avec le transport adapté", "meeting with public actors",
      CDC_ROOM, "rls-riviere",
      _roles("chair:lsimard presenter:rcaron participant:fouellet,rbelanger,vlapointe,"
             "sfortin,nbeaulieu"),
      "Échange vif sur les délais de réservation; Roger quitte la salle avant la fin."),
    M("m-2016-06-15", "Forum citoyen « Accès aux services : parlons-en »", "public forum",
      "Centre communautaire du Vieux-Moulin (fictional)", "rls-riviere",
      _roles("chair:lsimard presenter:kdiallo,fouellet,mgirard guest:egagne,srenaud,mgagnon "
             "participant:glemieux,rbelanger,amensah,ahassan,mpaquette,jmartel,tleblanc,"
             "sfortin,ltran,kmbaye,rtremblay,nbeaulieu,dlavoie"),
      "Environ 80 personnes; le médecin du GMF explique les effets attendus de la Loi 20."),
    M("m-2016-09-21", "Préparation du mémoire au CIUSSS", WG_MEETING, CDC_ROOM,
      "rls-riviere", _roles("chair:lsimard"),
      "Relecture du mémoire; débat sur le ton à adopter avec le CIUSSS."),
    M("m-2016-10-19", "Rencontre d'échange groupe de travail – partenaires publics",
      "meeting with public actors", HQ, "reg-cn",
      _roles("chair:lsimard guest:dmercier,mgagnon,sroy,rcaron,jlachance,abenoit,lpoirier,"
             "fduval,clarouche,gcote,mrobitaille participant:kdiallo,rtremblay,fouellet,"
             "mgirard,nbeaulieu,glemieux,rbelanger,cmorin,amensah"),
      "Le directeur SAPA conteste l'existence d'un problème d'accès; échanges tendus, mais "
      "les intervenants de terrain confirment plusieurs cas."),
    M("m-2016-11-16", "Validation du portrait des problèmes d'accès", WG_MEETING, CDC_ROOM,
      "rls-riviere", _roles("chair:lsimard guest:ifarah"),
      "Le portrait est adopté; Ines, nouvelle organisatrice communautaire du CIUSSS, se "
      "présente."),
    M("m-2016-12-07", "Table jeunesse du Plateau-Est : santé mentale",
      "concertation table meeting", "Le Phare (fictional)", "rls-plateau",
      _roles("chair:ebouchard presenter:jlachance participant:cmorin,mgirard,hdumont,bnadeau,"
             "abenoit,ltran"),
      "La cheffe du programme jeunesse du CIUSSS présente les délais d'attente."),
    M("m-2017-01-25", "Plan de mobilisation 2017-2018", WG_MEETING, CDC_ROOM, "rls-riviere",
      _roles("chair:lsimard note-taker:ialvarez guest:vdesrosiers"),
      "Adoption du plan: ateliers publics, guide des ressources, navigateurs bénévoles."),
    M("m-2017-02-22", "Comité conjoint CIUSSS–communautaire : démarrage", "joint committee",
      HQ, "reg-cn",
      _roles("co-chair:lsimard,dmercier participant:mgagnon,ifarah,ialvarez,kdiallo,nbeaulieu,"
             "fouellet,clarouche,sroy"),
      "Mandat du comité adopté; le CIUSSS propose deux rencontres par année, le groupe en "
      "demande quatre."),
    M("m-2017-03-22", "Rencontre régulière", WG_MEETING, CDC_ROOM, "rls-riviere",
      _roles("chair:lsimard note-taker:ialvarez"),
      "Répartition des ateliers; Georgette et Roger se proposent comme navigateurs."),
    M("m-2017-04-26", "Atelier public « Connaître ses ressources » (aînés)", "public forum",
      "CAB Les Aînés actifs (fictional)", "rls-riviere",
      _roles("chair:ialvarez presenter:ifarah,sroy,rtremblay participant:glemieux,rbelanger,"
             "mpaquette,tleblanc,mthibault,ahassan,jmartel,gcote"),
      "Les participants repartent avec les noms et numéros de personnes à joindre."),
    M("m-2017-05-24", "Rencontre Ville – transport adapté – groupe de travail",
      "meeting with public actors", "Hôtel de ville de la Rivière (fictional)", "rls-riviere",
      _roles("chair:lpoirier participant:rcaron,egagne,ialvarez,fouellet,vlapointe,rbelanger,"
             "lsimard"),
      "La Ville offre de financer un projet pilote de réservation à court préavis."),
    M("m-2017-06-14", "Rencontre régulière", WG_MEETING, CDC_ROOM, "rls-riviere",
      _roles("chair:lsimard note-taker:ialvarez"),
      "Yasmine remplace le président du Carrefour au groupe."),
    M("m-2017-09-20", "Rencontre régulière", WG_MEETING, CDC_ROOM, "rls-riviere",
      _roles("chair:lsimard note-taker:ialvarez guest:mgagnon"),
      "Martine annonce qu'elle couvre de nouveau la Rivière; accueil d'Olivia."),
    M("m-2017-10-18", "Atelier de navigation pour aînés immigrants", "public forum",
      "Accueil Immigrants Rivière (fictional)", "rls-riviere",
      _roles("chair:anguyen presenter:nsaintlouis,kdiallo participant:ahassan,amensah,kmbaye,"
             "yrahimi,shaddad,ifarah,jpierre,glemieux guest:srenaud"),
      "Atelier en quatre langues avec interprètes bénévoles; 35 aînés présents."),
    M("m-2017-11-15", "Comité conjoint : bilan de l'an 1", "joint committee", HQ, "reg-cn",
      _roles("co-chair:lsimard,dmercier participant:mgagnon,ifarah,nsaintlouis,ialvarez,"
             "glemieux,kdiallo,fouellet,nbeaulieu guest:rcaron"),
      "Le CIUSSS reconnaît officiellement le groupe comme partenaire du comité."),
    M("m-2018-01-24", "Rencontre régulière", WG_MEETING, CDC_ROOM, "rls-riviere",
      _roles("chair:lsimard note-taker:ialvarez"),
      "Planification du salon des ressources; bilan des navigateurs bénévoles."),
    M("m-2018-02-21", "Santé mentale jeunesse : école, communautaire et CIUSSS",
      "meeting with public actors", "École secondaire de la Rivière (fictional)",
      "rls-riviere",
      _roles("chair:jlachance participant:abenoit,cmorin,hdumont,mgirard,ebouchard,bnadeau,"
             "ltran,ocharles,ialvarez"),
      "Entente de principe sur un corridor de référence école – Le Phare – CIUSSS."),
    M("m-2018-03-21", "Comité conjoint", "joint committee", HQ, "reg-cn",
      _roles("co-chair:lsimard,dmercier participant:mgagnon,ifarah,nsaintlouis,jlachance,"
             "ialvarez,kdiallo,mgirard,fouellet,nbeaulieu,clarouche"),
      "Le programme jeunesse rejoint le comité; discussion des priorités 2018-2019."),
    M("m-2018-04-25", "Salon des ressources publiques et communautaires", "public forum",
      "Centre communautaire du Vieux-Moulin (fictional)", "rls-riviere",
      _roles("chair:ialvarez presenter:ifarah,nsaintlouis,rcaron,lpoirier,abenoit,sroy,srenaud "
             "participant:glemieux,rbelanger,ahassan,amensah,mpaquette,tleblanc,jmartel,"
             "sfortin,kmbaye,ltran,ocharles,rtremblay,kdiallo,fouellet,mgirard,gcote,shaddad"),
      "Une vingtaine de kiosques publics et communautaires côte à côte; environ 200 "
      "visiteurs."),
    M("m-2018-06-13", "Rencontre régulière", WG_MEETING, CDC_ROOM, "rls-riviere",
      _roles("chair:lsimard note-taker:ialvarez"),
      "Bilan du salon; demande au CIUSSS de pérenniser le poste de mobilisation."),
    M("m-2018-09-19", "Rencontre régulière", WG_MEETING, CDC_ROOM, "rls-riviere",
      _roles("chair:lsimard note-taker:ialvarez guest:ifarah"),
      "Préparation du bilan; la subvention de la Fondation se termine en décembre."),
    M("m-2018-10-17", "Comité conjoint", "joint committee", HQ, "reg-cn",
      _roles("co-chair:lsimard,dmercier participant:mgagnon,ifarah,nsaintlouis,jlachance,"
             "ialvarez,kdiallo,glemieux,rbelanger,fouellet guest:fduval"),
      "Le représentant du MSSS note l'expérience; aucune garantie de financement."),
    M("m-2018-11-28", "Bilan 2015-2018", WG_MEETING, CDC_ROOM, "rls-riviere",
      _roles("chair:lsimard note-taker:ialvarez guest:mgagnon,ifarah,vdesrosiers"),
      "Le groupe décide de poursuivre comme comité de la CDC après 2018."),
]
MEETING = {m.id: m for m in MEETINGS}
MINUTES = {d[0].replace("doc-min-", "m-"): d[0] for d in DOCUMENTS if d[0].startswith("doc-min")}
MINUTES["m-2017-02-22"] = "doc-cc-2017-02-22"

# --------------------------------------------------------------------------------------
# Problems and stances
# --------------------------------------------------------------------------------------

PROBLEMS = [
    ("pb-lost-contacts", "Since Bill 10, community organizations have lost their contact "
     "points in the public network (the CLSC community organizers)."),
    ("pb-immigrant-seniors", "Immigrant seniors do not get the home-care and CLSC services "
     "they are entitled to (language, information, eligibility)."),
    ("pb-transport", "Adapted transport does not let people with disabilities reach health "
     "and community services reliably."),
    ("pb-youth-mh", "Youth aged 12-25 wait too long for mental-health services and fall "
     "between school, community and CIUSSS services."),
    ("pb-caregivers", "Seniors and their caregivers do not know which public and community "
     "resources they can use, or how to reach them."),
]

# Four waves: W1 first interviews (2015-11..2016-03), W2 the exchange meeting with public
# partners (2016-10-19, field notes), W3 second interviews (2017-04..06), W4 third
# interviews (2018-09..11). A = agree, D = disagree, N = neutral, - = not observed.
STANCES = {
    "p-lsimard": {"pb-lost-contacts": "AAAA", "pb-immigrant-seniors": "NAAA",
                  "pb-transport": "NAAA", "pb-youth-mh": "NNAA", "pb-caregivers": "AAAA"},
    "p-kdiallo": {"pb-immigrant-seniors": "AAAA", "pb-lost-contacts": "AAAA",
                  "pb-caregivers": "NAAA"},
    "p-rtremblay": {"pb-immigrant-seniors": "NAAA", "pb-caregivers": "AAAA",
                    "pb-lost-contacts": "AAAA"},
    "p-fouellet": {"pb-transport": "AAAA", "pb-lost-contacts": "AAAA"},
    "p-mgirard": {"pb-youth-mh": "AAAA", "pb-lost-contacts": "AAAA"},
    "p-cmorin": {"pb-youth-mh": "AAAA"},
    "p-nbeaulieu": {"pb-caregivers": "AAAA", "pb-immigrant-seniors": "NNAA",
                    "pb-transport": "NAAA"},
    "p-gcote": {"pb-immigrant-seniors": "DNAA"},
    "p-glemieux": {"pb-caregivers": "AAAA", "pb-lost-contacts": "AAAA"},
    "p-rbelanger": {"pb-transport": "AAAA"},
    "p-amensah": {"pb-immigrant-seniors": "A-AA", "pb-youth-mh": "NAAA"},
    "p-mpaquette": {"pb-caregivers": "A-AA"},
    "p-dmercier": {"pb-lost-contacts": "DDNA", "pb-immigrant-seniors": "DNAA",
                   "pb-caregivers": "NNAA"},
    "p-mgagnon": {"pb-lost-contacts": "AAAA", "pb-immigrant-seniors": "NAAA"},
    "p-sroy": {"pb-caregivers": "NAAA", "pb-immigrant-seniors": "NNAA"},
    "p-rcaron": {"pb-transport": "DDNA"},
    "p-jlachance": {"pb-youth-mh": "-NAA"},
    "p-abenoit": {"pb-youth-mh": "-NAA"},
    "p-lpoirier": {"pb-transport": "NNAA", "pb-caregivers": "-NAA"},
    "p-fduval": {"pb-lost-contacts": "-DNN"},
    "p-srenaud": {"pb-immigrant-seniors": "N-NA"},
}

# Problems discussed at each meeting (the `problems` column of meetings.csv, `;`-separated
# problem ids). Stage-1 WG meetings discuss the problems being defined; meetings with public
# actors and the joint committee discuss the problems the attendees' positions are about;
# a few administrative meetings discuss none.
LOST, IMMIG, TRANSP, YOUTH, CARE = (p[0] for p in PROBLEMS)
DISCUSSED: dict[str, tuple[str, ...]] = {
    "m-2015-06-17": (LOST,),                           # founding; Martine's assignment unknown
    "m-2015-09-16": (IMMIG, TRANSP, CARE),             # tour de table of blocked access
    "m-2015-10-21": (LOST,),                           # what Bill 10 changes
    "m-2015-11-25": (LOST, IMMIG),                     # CIUSSS information session
    "m-2016-01-20": (LOST, IMMIG, TRANSP, YOUTH, CARE),  # five problems retained
    "m-2016-02-24": (LOST,),                           # PSOC: a stable contact
    "m-2016-03-23": (LOST, IMMIG),                     # Anh arrives; calls to the CIUSSS
    "m-2016-04-13": (CARE, LOST),                      # seniors' table lost its seat
    "m-2016-05-18": (TRANSP,),                         # paratransit
    "m-2016-06-15": (IMMIG, TRANSP, YOUTH),            # citizens' forum presenters
    "m-2016-09-21": (LOST, IMMIG, CARE),               # brief to the CIUSSS
    "m-2016-10-19": (LOST, IMMIG, TRANSP, YOUTH, CARE),  # exchange meeting (wave 2)
    "m-2016-11-16": (LOST, IMMIG, TRANSP, YOUTH, CARE),  # portrait adopted
    "m-2016-12-07": (YOUTH,),                          # youth table: waiting times
    "m-2017-01-25": (CARE, IMMIG),                     # mobilization plan
    "m-2017-02-22": (LOST, IMMIG, CARE),               # joint committee starts
    "m-2017-03-22": (CARE,),                           # navigators
    "m-2017-04-26": (CARE,),                           # seniors' resources workshop
    "m-2017-05-24": (TRANSP,),                         # City - paratransit pilot
    "m-2017-06-14": (),                                # administrative
    "m-2017-09-20": (LOST, YOUTH),                     # Martine back; Olivia joins
    "m-2017-10-18": (IMMIG,),                          # navigation workshop
    "m-2017-11-15": (LOST, IMMIG, TRANSP),             # joint committee, year 1
    "m-2018-01-24": (CARE,),                           # fair planning; navigators
    "m-2018-02-21": (YOUTH,),                          # referral corridor
    "m-2018-03-21": (YOUTH, IMMIG, CARE),              # youth programme joins
    "m-2018-04-25": (CARE, TRANSP),                    # resource fair
    "m-2018-06-13": (),                                # administrative
    "m-2018-09-19": (),                                # administrative
    "m-2018-10-17": (LOST, CARE),                      # joint committee with the MSSS
    "m-2018-11-28": (LOST, CARE),                      # review 2015-2018
}

# --------------------------------------------------------------------------------------
# Ties
# --------------------------------------------------------------------------------------

UNDIRECTED_TYPES = ("COLLABORATION", "CONFLICT")


@dataclass
class Tie:
    source: str
    target: str
    type: str
    start: str = ""
    end: str = ""
    weight: str = ""
    at: str = ""  # meeting where the tie was observed forming (both ends attend)
    cat: str = ""  # evidence recipe: see tie_evidence()
    note: str = ""
    amount: str = ""
    ev: list[tuple[str, ...]] = field(default_factory=list)  # hand-written evidence
    directed: str = ""  # "true" / "false" / "" (import default: true)
    evidence: list[Evidence] = field(default_factory=list)
    id: str = ""


TIES: list[Tie] = []


def tie(s: str, t: str, typ: str, start: str = "", end: str = "", **kw: object) -> Tie:
    x = Tie("p-" + s if s in _SHORT else s, "p-" + t if t in _SHORT else t, typ, start, end,
            **kw)  # type: ignore[arg-type]
    if not x.directed:
        x.directed = "false" if typ in UNDIRECTED_TYPES else ("" if typ == "FUNDING" else "true")
    TIES.append(x)
    return x


_SHORT = {p.id[2:] for p in PERSONS}
COLLAB, INFO, ADV, FUND, REP, CONF = ("COLLABORATION", "INFORMATION", "ADVICE", "FUNDING",
                                       "REPRESENTATION", "CONFLICT")
LOST = "lost"

# --- pre-existing ties between community actors, hand-authored (the rest is filler below)
tie("lsimard", "dlavoie", COLLAB, "2011-08", weight="3")
tie("lsimard", "nbeaulieu", COLLAB, "2013", weight="2")
tie("dlavoie", "rtremblay", INFO, "2010")
tie("dlavoie", "kdiallo", INFO, "2010")
tie("dlavoie", "fouellet", INFO, "2010")
tie("dlavoie", "mgirard", INFO, "2012")
tie("dlavoie", "pgauthier", COLLAB, "2009", weight="2")
tie("nbeaulieu", "rtremblay", COLLAB, "2010", weight="3")
tie("fouellet", "pgauthier", INFO, "2011")
tie("kdiallo", "jpierre", COLLAB, "", weight="3")
tie("kdiallo", "ahassan", ADV, "2014")
tie("shaddad", "amensah", ADV, "2013")
tie("mgirard", "ltran", ADV, "2013")
tie("fouellet", "rbelanger", COLLAB, "", weight="3")
tie("glemieux", "tleblanc", COLLAB, "2012", weight="2")
tie("hdumont", "ebouchard", COLLAB, "2011")

# --- pre-existing ties between community actors and CSSS/CLSC/agency staff.
# The broker (Martine, CLSC community organizer) keeps three ties across the reform; all
# others END between 2015-04 and 2016-06 (posts abolished, staff reassigned or gone).
tie("mgagnon", "lsimard", COLLAB, "2009", weight="3", cat="pre")
tie("mgagnon", "dlavoie", COLLAB, "2008", weight="2", cat="pre")
tie("mgagnon", "rtremblay", COLLAB, "2010", cat="pre")
tie("mgagnon", "nbeaulieu", COLLAB, "2011", "2015-06", cat=LOST)
tie("mgagnon", "kdiallo", COLLAB, "2010", "2015-09", cat=LOST)
tie("mgagnon", "mgirard", INFO, "2012", "2015-05", cat=LOST)
tie("mgagnon", "fouellet", COLLAB, "2009", "2016-01", cat=LOST)
tie("mgagnon", "jpierre", INFO, "2013", "2015-10", cat=LOST)
tie("pleclerc", "shaddad", COLLAB, "2005", "2015-09-30", weight="3", cat=LOST)
tie("pleclerc", "gcote", COLLAB, "2007", "2015-09-30", cat=LOST)
tie("pleclerc", "ebouchard", COLLAB, "2011", "2015-06", cat=LOST)
tie("pleclerc", "hdumont", INFO, "2012", "2015-04", cat=LOST)
tie("pleclerc", "cmorin", COLLAB, "2013", "2015-09-30", cat=LOST)
tie("abergeron", "dlavoie", INFO, "2011-05", EVE, cat=LOST)
tie("abergeron", "nbeaulieu", INFO, "2012", EVE, cat=LOST)
tie("clarouche", "dlavoie", INFO, "2010", "2015-06", cat=LOST,
    note="PSOC files reassigned inside the CIUSSS; re-formed 2016-02")
tie("clarouche", "pgauthier", INFO, "2009", "2015-06", cat=LOST,
    note="PSOC files reassigned inside the CIUSSS; re-formed 2015-10")
tie("sroy", "glemieux", INFO, "2013", cat="pre")
tie("sroy", "rtremblay", COLLAB, "2012", "2016-03", cat=LOST)
tie("kbrault", "mgirard", COLLAB, "2012", "2016-01", cat=LOST)
tie("cdesjardins", "fouellet", COLLAB, "2010", "2015-10", cat=LOST)
tie("cdesjardins", "sfortin", INFO, "2014", "2015-10", cat=LOST)
tie("mrobitaille", "amensah", INFO, "2014", cat="pre")
tie("egagne", "dlavoie", INFO, "2014", "2017-11-05", cat="pre")
tie("lpoirier", "dlavoie", COLLAB, "2014-03", cat="pre")

# --- pre-existing ties among public actors
tie("sroy", "mgagnon", COLLAB, "2010", weight="2", cat="pre")
tie("pleclerc", "mgagnon", COLLAB, "2008", "2015-09-30", cat=LOST)
tie("abergeron", "mgagnon", INFO, "2011-05", EVE, cat=LOST)
tie("clarouche", "fduval", INFO, "2012", "2015-06", cat=LOST)
tie("egagne", "lpoirier", INFO, "2014-03", "2017-11-05", cat="pre")

# --- organization-level ties: funding, representation, concertation venues
PSOC = [  # organization, start of PSOC funding, amount 2014-2015 (CAD, fictional)
    ("cab-aines", "2004", "98000"), ("accueil-immigrants", "2007", "112000"),
    ("carrefour-cc", "2012", "54000"), ("mdj-tremplin", "2005", "131000"),
    ("rph-riviere", "2006", "87000"), ("le-phare", "2008", "142000"),
    ("popote-plateau", "2003", "61000"), ("femmes-monde", "2010", "76000"),
    ("cdc-riviere", "2009", "45000"),
]
for _i, (_org, _start, _amount) in enumerate(PSOC, start=1):
    tie("agence-cn", _org, FUND, _start, EVE, amount=_amount,
        ev=[("doc", "doc-psoc-2014", f"annexe A, l. {_i}",
             f"Subvention à la mission globale (PSOC) 2014-2015 — {ORG_SHORT[_org]} : "
             f"{int(_amount):,} $, reconduite.".replace(",0", " 0"))],
        note="PSOC funding administered by the regional agency until its abolition")
    tie("ciusss-cn", _org, FUND, REFORM_DAY, amount=_amount,
        ev=[("doc", "doc-psoc-2016", f"annexe, l. {_i}",
             f"Le CIUSSS assume la gestion du PSOC; financement à la mission de "
             f"{ORG_SHORT[_org]} confirmé pour 2016-2017.")],
        note="PSOC funding transferred to the CIUSSS by Bill 10")
tie("msss", "agence-cn", FUND, "", EVE,
    ev=[("doc", "doc-ciusss-ra-2016", "p. 7",
         "Le 1er avril 2015, le CIUSSS a succédé à l'Agence et aux établissements fusionnés.")])
tie("msss", "ciusss-cn", FUND, REFORM_DAY,
    ev=[("doc", "doc-ciusss-ra-2016", "p. 45",
         "Budget de fonctionnement 2015-2016 alloué par le ministère.")])
tie("roc-cn", "agence-cn", REP, "2003", EVE, cat=LOST,
    ev=[("int", "p-pgauthier",
         "La table régionale avec l'Agence, c'était notre lieu de concertation. "
         "Elle a disparu avec la Loi 10, du jour au lendemain.")])
tie("table-aines", "agence-cn", REP, "2008", EVE, cat=LOST,
    ev=[("obs", "m-2016-04-13",
         "La Table constate qu'elle n'a plus de siège au comité régional depuis "
         "l'abolition de l'Agence.")])
tie("rph-riviere", "roc-cn", REP, "2009",
    ev=[("int", "p-fouellet", "Au ROC, c'est Pierre qui porte nos dossiers au régional.")])
tie("cdc-riviere", "ville-riviere", REP, "2012",
    ev=[("doc", "doc-bulletin-2016-03", "p. 2",
         "La CDC siège au comité de développement social de la Ville depuis 2012.")])
tie("roc-cn", "ciusss-cn", REP, "2016-06",
    ev=[("int", "p-pgauthier",
         "Il a fallu un an pour obtenir une table de concertation avec le CIUSSS. "
         "On n'y parle que de reddition de comptes.")])
tie("wg", "table-aines", COLLAB, "2015-09-16",
    ev=[("doc", "doc-min-2015-09-16", "p. 2",
         "La Table des aînés délègue sa coordonnatrice au groupe de travail.")])
tie("rph-riviere", "transport-adapte", CONF, "2016-06", "2017-11",
    ev=[("doc", "doc-forum-2016", "p. 6",
         "Le Regroupement annonce une plainte collective contre le transport adapté.")])
tie("wg", "table-jeunesse", COLLAB, "2016-12-07", at="m-2016-12-07")
tie("fondation-desrosiers", "wg", FUND, "2017-01", "2018-12-31", amount="85000",
    ev=[("doc", "doc-fondation-2017", "p. 1",
         "La Fondation accorde 85 000 $ sur deux ans pour un poste d'agente de mobilisation.")])
tie("wg", "ciusss-cn", REP, "2017-02-22", at="m-2017-02-22",
    ev=[("doc", "doc-cc-2017-02-22", "p. 1",
         "Le groupe de travail désigne deux personnes pour siéger au comité conjoint.")])
tie("wg", "ciusss-cn", COLLAB, "2017-02-22", at="m-2017-02-22",
    ev=[("doc", "doc-cc-2017-02-22", "p. 2",
         "Mandat: arrimer les ressources publiques et communautaires sur les deux RLS.")])
tie("table-aines", "ciusss-cn", REP, "2017-05",
    ev=[("int", "p-nbeaulieu",
         "On a retrouvé une place à une table avec le CIUSSS, grâce au comité conjoint.")])
tie("ville-riviere", "wg", FUND, "2017-06-05", "2018-06-30", amount="5000",
    ev=[("doc", "doc-ville-2017", "p. 1",
         "Le conseil accorde 5 000 $ au groupe de travail pour le projet de navigation.")])
tie("wg", "ville-riviere", COLLAB, "2017-06-05",
    ev=[("doc", "doc-ville-2017", "p. 2",
         "La Ville et le groupe de travail conviennent d'un comité de suivi.")])
tie("wg", "transport-adapte", COLLAB, "2017-11",
    ev=[("doc", "doc-entente-transport-2017", "p. 1",
         "Entente: projet pilote de réservation à court préavis pour les rendez-vous "
         "médicaux.")])

# --- stage 1 (problem definition, 2015-06 .. 2016-12): members pool their networks ...
tie("lsimard", "kdiallo", COLLAB, "2015-06-17", at="m-2015-06-17", weight="2")
tie("lsimard", "fouellet", COLLAB, "2015-06-17", at="m-2015-06-17")
tie("lsimard", "mgirard", COLLAB, "2015-06-17", at="m-2015-06-17")
tie("lsimard", "glemieux", COLLAB, "2015-06-17", at="m-2015-06-17", weight="3")
tie("lsimard", "shaddad", INFO, "2015-06-17", at="m-2015-06-17")
tie("lsimard", "rbelanger", COLLAB, "2015-09-16", at="m-2015-09-16")
tie("lsimard", "jmartel", INFO, "2015-09-16", "2016-12-31", at="m-2015-09-16")
tie("kdiallo", "rtremblay", INFO, "2015-09-16", at="m-2015-09-16")
tie("kdiallo", "nbeaulieu", COLLAB, "2015-10")
tie("fouellet", "rtremblay", INFO, "2016-01")
tie("mgirard", "shaddad", INFO, "2016")
tie("glemieux", "ahassan", ADV, "2015-11")
tie("rbelanger", "mpaquette", INFO, "2016-03")
tie("amensah", "mgirard", INFO, "2016-02")
tie("jpierre", "rtremblay", COLLAB, "2016-05")
tie("anguyen", "kdiallo", COLLAB, "2016-01-11", weight="3")
tie("anguyen", "lsimard", INFO, "2016-03-23", at="m-2016-03-23")
tie("cmorin", "lsimard", INFO, "2016-01-20", at="m-2016-01-20")
tie("glemieux", "rbelanger", COLLAB, "2016-06-15", at="m-2016-06-15")
# ... and reach out as a group to public-sector contacts to learn what changed
tie("mgagnon", "lsimard", ADV, "2015-06", cat="new",
    ev=[("int", "p-lsimard",
         "C'est Martine qui m'a conseillé de former un groupe: « seuls, vous ne serez pas "
         "entendus par le CIUSSS »."), ])
tie("lsimard", "mgagnon", INFO, "2015-10-21", at="m-2015-10-21")
tie("dmercier", "lsimard", INFO, "2015-11-25", at="m-2015-11-25")
tie("dmercier", "nbeaulieu", INFO, "2015-11-25", at="m-2015-11-25")
tie("clarouche", "pgauthier", INFO, "2015-10")
tie("clarouche", "dlavoie", INFO, "2016-02-24", at="m-2016-02-24")
tie("lpoirier", "lsimard", COLLAB, "2016-03")
tie("rcaron", "fouellet", INFO, "2016-05-18", at="m-2016-05-18")
tie("egagne", "lsimard", INFO, "2016-06-15", "2017-11-05", at="m-2016-06-15")
tie("srenaud", "glemieux", INFO, "2016-06-15", at="m-2016-06-15")
tie("sroy", "mpaquette", INFO, "2016-04")
tie("mrobitaille", "shaddad", INFO, "2016-04")
tie("fduval", "pgauthier", INFO, "2016-09")
tie("ifarah", "lsimard", INFO, "2016-11-16", at="m-2016-11-16")
tie("jlachance", "cmorin", INFO, "2016-12-07", at="m-2016-12-07")
tie("ifarah", "mgagnon", COLLAB, "2016-09", weight="3")
# conflicts of the problem-definition stage (all resolved in 2017)
tie("dmercier", "kdiallo", CONF, "2016-02", "2017-03", cat="conflict")
tie("rbelanger", "rcaron", CONF, "2016-05-18", "2017-10", at="m-2016-05-18", cat="conflict")
tie("dmercier", "lsimard", CONF, "2016-10-19", "2017-06", at="m-2016-10-19", cat="conflict",
    ev=[("obs", "m-2016-10-19",
         "Le ton monte entre Denis et Louise: selon Denis, il n'y a pas de problème d'accès, "
         "seulement un problème d'information.")])
tie("rbelanger", "ciusss-cn", CONF, "2016-09", "2017-11", directed="true", cat="conflict",
    note="formal complaint to the CIUSSS complaints commissioner",
    ev=[("int", "p-rbelanger",
         "J'ai porté plainte au commissaire aux plaintes. Trois mois sans réponse.")])

# --- stage 2 (mobilization, 2017-01 .. 2018-12): the community-public network grows
tie("ifarah", "shaddad", COLLAB, "2017-02", weight="3")
tie("ifarah", "gcote", COLLAB, "2017-03")
tie("ifarah", "ebouchard", COLLAB, "2017-01")
tie("ifarah", "hdumont", INFO, "2017-05")
tie("ifarah", "ialvarez", COLLAB, "2017-02-22", at="m-2017-02-22", weight="3")
tie("ifarah", "kdiallo", INFO, "2017-04")
tie("ifarah", "yrahimi", COLLAB, "2017-10")
tie("ifarah", "ialvarez", ADV, "2017-06")
tie("ifarah", "amensah", INFO, "2018-01")
tie("mgagnon", "ialvarez", COLLAB, "2017-02-22", at="m-2017-02-22", weight="2")
tie("mgagnon", "anguyen", COLLAB, "2017-04")
tie("mgagnon", "mgirard", COLLAB, "2017-09-20", at="m-2017-09-20",
    note="tie re-established after the 2015 break")
tie("mgagnon", "fouellet", INFO, "2017-05", note="tie re-established after the 2015 break")
tie("mgagnon", "ialvarez", ADV, "2017-03")
tie("nsaintlouis", "kdiallo", COLLAB, "2017-04", weight="3")
tie("nsaintlouis", "jpierre", COLLAB, "2017-05")
tie("nsaintlouis", "anguyen", COLLAB, "2017-10-18", at="m-2017-10-18")
tie("nsaintlouis", "yrahimi", INFO, "2017-10-18", at="m-2017-10-18")
tie("nsaintlouis", "kmbaye", COLLAB, "2018-01")
tie("nsaintlouis", "ahassan", INFO, "2017-10-18", at="m-2017-10-18")
tie("nsaintlouis", "shaddad", COLLAB, "2018-03")
tie("jlachance", "cmorin", COLLAB, "2017-03", weight="2")
tie("jlachance", "hdumont", COLLAB, "2017-06")
tie("jlachance", "mgirard", INFO, "2018-02-21", at="m-2018-02-21")
tie("jlachance", "ebouchard", COLLAB, "2018-02-21", at="m-2018-02-21")
tie("jlachance", "ltran", INFO, "2018-04")
tie("abenoit", "mgirard", COLLAB, "2017-09")
tie("abenoit", "cmorin", COLLAB, "2018-02-21", at="m-2018-02-21")
tie("abenoit", "bnadeau", INFO, "2018-03")
tie("abenoit", "ebouchard", COLLAB, "2017-10")
tie("rcaron", "fouellet", COLLAB, "2017-11", weight="2")
tie("rcaron", "vlapointe", INFO, "2017-11")
tie("rcaron", "rbelanger", COLLAB, "2018-04-25", at="m-2018-04-25")
tie("lpoirier", "ialvarez", COLLAB, "2017-05-24", at="m-2017-05-24")
tie("lpoirier", "nbeaulieu", INFO, "2017-06")
tie("lpoirier", "vlapointe", COLLAB, "2017-05-24", at="m-2017-05-24")
tie("egagne", "ialvarez", INFO, "2017-05-24", "2017-11-05", at="m-2017-05-24")
tie("srenaud", "kdiallo", ADV, "2017-10-18", at="m-2017-10-18")
tie("srenaud", "rtremblay", INFO, "2018-01")
tie("dmercier", "lsimard", COLLAB, "2017-09", weight="2", note="after the 2016-2017 conflict")
tie("dmercier", "ialvarez", COLLAB, "2018-03-21", at="m-2018-03-21")
tie("sroy", "mthibault", COLLAB, "2017-04-26", at="m-2017-04-26")
tie("sroy", "ialvarez", INFO, "2017-10")
tie("cdesjardins", "vlapointe", COLLAB, "2017-06")
tie("fduval", "lsimard", INFO, "2018-05")
tie("clarouche", "ialvarez", INFO, "2017-02-22", at="m-2017-02-22")
tie("mrobitaille", "gcote", COLLAB, "2017-10")
tie("ialvarez", "dmercier", INFO, "2017-11-15", at="m-2017-11-15")
tie("lsimard", "fduval", INFO, "2018-06")
tie("glemieux", "dmercier", INFO, "2017-11-15", at="m-2017-11-15")
tie("kdiallo", "nsaintlouis", ADV, "2017-06")
tie("fouellet", "lpoirier", INFO, "2017-06")
tie("glemieux", "ifarah", COLLAB, "2017-04-26", at="m-2017-04-26")
tie("rbelanger", "lpoirier", COLLAB, "2018-04-25", at="m-2018-04-25")
tie("amensah", "ifarah", COLLAB, "2018-04-25", at="m-2018-04-25")
tie("lsimard", "ciusss-cn", REP, "2017-02-22", at="m-2017-02-22",
    note="sits for the WG on the CIUSSS joint committee")
tie("glemieux", "ciusss-cn", REP, "2017-11-15", at="m-2017-11-15",
    note="sits for the users' committee on the CIUSSS joint committee")
# stage 2 among community actors and citizens
tie("ialvarez", "lsimard", COLLAB, "2017-01-09", weight="3")
tie("ialvarez", "kdiallo", COLLAB, "2017-01-25", at="m-2017-01-25")
tie("ialvarez", "nbeaulieu", COLLAB, "2017-03")
tie("ialvarez", "fouellet", COLLAB, "2017-03")
tie("ialvarez", "mgirard", COLLAB, "2017-04")
tie("kmbaye", "anguyen", COLLAB, "2017-10-18", at="m-2017-10-18")
tie("ocharles", "ltran", INFO, "2017-09-20", at="m-2017-09-20")
tie("ltran", "cmorin", INFO, "2017-05")
tie("gcote", "shaddad", COLLAB, "2017-06")
tie("jpierre", "anguyen", INFO, "2017-05")
tie("rbelanger", "glemieux", ADV, "2017-03-22", at="m-2017-03-22")
tie("vlapointe", "nbeaulieu", COLLAB, "2018-02")
tie("ahassan", "amensah", INFO, "2018-04-25", at="m-2018-04-25")
tie("kdiallo", "yrahimi", COLLAB, "2017-06-14", at="m-2017-06-14")
# public-public in stage 2
tie("nsaintlouis", "ifarah", COLLAB, "2017-03-06")
tie("jlachance", "abenoit", COLLAB, "2017-09")
tie("lpoirier", "rcaron", COLLAB, "2017-05-24", at="m-2017-05-24")
tie("srenaud", "sroy", INFO, "2017-01")

# --- filler: pre-existing ties inside each community cluster (seeded)
CLUSTERS = {
    "seniors": ["p-rtremblay", "p-nbeaulieu", "p-gcote", "p-mthibault", "p-glemieux",
                "p-mpaquette", "p-tleblanc", "p-jmartel"],
    "immigrants": ["p-kdiallo", "p-jpierre", "p-shaddad", "p-yrahimi", "p-amensah",
                   "p-ahassan", "p-kmbaye"],
    "youth": ["p-mgirard", "p-cmorin", "p-ebouchard", "p-bnadeau", "p-hdumont", "p-ltran",
              "p-ocharles"],
    "disability": ["p-fouellet", "p-vlapointe", "p-rbelanger", "p-sfortin"],
}
FILLER_P = {"seniors": 0.4, "immigrants": 0.45, "youth": 0.45, "disability": 0.7}

# --------------------------------------------------------------------------------------
# Quote templates (fictional). {o} = the other end of the tie (not the speaker),
# {s} / {t} = source / target, {org} = the other end's organization.
# --------------------------------------------------------------------------------------

Q_PRE_COMM = [
    "On se connaît depuis longtemps, {o} et moi; on se réfère des gens sans se poser de "
    "questions.",
    "{o}? Oui, on se parle au moins une fois par mois, surtout pour des références.",
    "I've worked with {o} for years; we share referrals and sit on the same committees.",
    "Avec {o}, c'est un lien de confiance: on se dépanne quand il manque une place ou un "
    "bénévole.",
    "Bien avant le groupe de travail, {o} et moi on organisait déjà des activités communes.",
    "Quand quelqu'un arrive chez nous et que ce n'est pas notre mandat, je l'envoie à {org}; "
    "je connais {o}.",
]
Q_PRE_CIT = [  # a citizen speaking about a community contact
    "Je connais {o} depuis des années; c'est vers cette personne que je me tourne quand "
    "j'ai besoin d'aide.",
    "On se voit presque chaque semaine, {o} et moi.",
    "C'est {o} qui m'a aidé à remplir mes papiers la première fois.",
    "{o} and I go back a long way; we help each other out.",
]
Q_PRE_CP = [
    "Quand on a un cas compliqué, j'appelle {o} directement; ça a toujours marché.",
    "{o} venait à nos assemblées; c'était notre porte d'entrée dans le réseau.",
    "We have a long history with {o}; that relationship survived the merger, barely.",
    "On travaille avec {o} depuis des années, bien avant le CIUSSS.",
]
Q_LOST = [
    "Depuis la fusion, on ne sait plus à qui parler au CIUSSS.",
    "On a réaffecté {o} ailleurs, et personne ne nous a dit qui prenait le relais.",
    "Avant avril 2015, j'appelais {o} directement. Maintenant, ça tombe sur une boîte vocale "
    "générale.",
    "After the reform we lost {o} as our contact. Nobody replaced that role on our territory.",
    "Nos rencontres avec {o} ont cessé du jour au lendemain, sans explication.",
    "On a perdu notre porte d'entrée: {o} n'a plus le mandat de suivre les organismes.",
]
Q_LOST_PUBLIC = [  # said by the public-sector end of a lost tie
    "Avec la réorganisation, je n'avais plus le mandat de suivre {o}; j'ai dû laisser tomber "
    "plusieurs organismes.",
    "Mon poste a été transféré à une équipe régionale; les liens avec {o} et les autres se "
    "sont perdus.",
    "I had to drop most of my community files after April 2015, including {o}.",
]
Q_LOST_LECLERC = [
    "Quand mon poste n'a pas été reconduit dans la nouvelle structure, j'ai pris ma retraite. "
    "{o} et les autres organismes du Plateau sont restés sans interlocuteur.",
    "Je n'ai même pas pu présenter {o} à quelqu'un avant de partir.",
]
# Directed types: "out" when the speaker is the source (gives information / advice, sits for
# a constituency), "in" when the speaker is the target.
Q_NEW: dict[str, list[str] | dict[str, list[str]]] = {
    "COLLABORATION": [  # stage 1 (problem definition)
        "C'est le groupe de travail qui m'a fait connaître {o}; on ne se serait jamais "
        "croisés autrement.",
        "Through the working group I met {o}; our clients turned out to be the same families.",
        "Avec {o}, on a mis en commun nos listes de situations problématiques.",
        "On s'est rendu compte avec {o} qu'on se renvoyait les mêmes personnes sans se parler.",
    ],
    "COLLABORATION-2": [  # stage 2 (mobilization)
        "Avec {o}, on a monté ensemble des ateliers pour le quartier.",
        "We co-facilitated a workshop with {o}; people left with names and phone numbers.",
        "On travaille avec {o} sur le guide des ressources; chacun connaît maintenant les "
        "services de l'autre.",
        "Ce qui a changé, c'est qu'on se parle. {o} sait ce qu'on fait, et nous on sait ce "
        "que l'autre peut faire.",
    ],
    "INFORMATION": {
        "in": [
            "{o} me tient au courant des changements avant qu'ils entrent en vigueur.",
            "J'ai appris par {o} comment fonctionne maintenant l'accueil centralisé.",
            "{o} keeps us posted on waiting lists and new service corridors.",
            "{o} m'envoie l'information par courriel, presque chaque semaine.",
        ],
        "out": [
            "Je tiens {o} au courant de ce qu'on voit sur le terrain.",
            "I send {o} our notes after each meeting.",
            "Quand j'apprends un changement, j'avertis {o} tout de suite.",
        ],
    },
    "ADVICE": {
        "in": [
            "Quand j'hésite sur la façon de présenter un dossier, je demande conseil à {o}.",
            "{o} m'a conseillé de passer par le comité des usagers plutôt que par une plainte.",
            "I check with {o} before we send anything to the CIUSSS; {o} knows how it will "
            "be read.",
        ],
        "out": [
            "{o} m'appelle souvent pour avoir mon avis avant de présenter un dossier.",
            "J'ai conseillé à {o} de passer par le comité des usagers plutôt que par une "
            "plainte.",
        ],
    },
    "REPRESENTATION": {
        "out": ["Je siège au nom de nos membres auprès de {o}.",
                "Je porte la voix du groupe auprès de {o}."],
        "in": ["{o} porte notre voix à cette table."],
    },
}
Q_NEW_PUBLIC = [  # public end speaking about a new community tie (front-line limits)
    "Je veux bien collaborer avec {o}, mais je n'ai aucun pouvoir sur les listes d'attente; "
    "ça se décide plus haut.",
    "Avec {o}, on règle des cas un par un. Le système, lui, ne bouge pas vite.",
    "Le comité conjoint m'a permis de connaître {o}; avant, je ne savais pas vers qui me "
    "tourner dans le milieu communautaire.",
]
Q_LOST_PP = [  # two public-sector ends
    "Avec la réorganisation, {o} et moi avons été envoyés dans des directions différentes; "
    "on ne travaille plus ensemble.",
]
Q_LOST_GONE = [  # said by staff whose post was abolished or who left
    "À mon départ, je n'ai même pas pu passer le relais à {o}.",
    "Du jour au lendemain, je n'avais plus de contact avec {o}.",
]
Q_OBS = {
    "COLLABORATION": [
        "{s} et {t} constatent qu'ils reçoivent les mêmes familles; échange de coordonnées.",
        "{s} et {t} conviennent de préparer ensemble la prochaine activité.",
        "{s} et {t} se proposent pour animer un atelier en duo.",
    ],
    "INFORMATION": [  # source in the public sector
        "{s} présente les services et les changements récents; {t} prend des notes pour ses "
        "membres.",
        "{s} explique à {t} le nouveau fonctionnement de l'accueil.",
        "{s} transmet à {t} la liste des personnes-ressources.",
    ],
    "INFORMATION-community": [  # source on the community side
        "{s} présente à {t} des situations vécues par les membres du groupe.",
        "{s} transmet à {t} le portrait des besoins.",
        "{s} met {t} au courant des démarches du groupe.",
    ],
    "ADVICE": ["{t} demande conseil à {s} sur la démarche à suivre."],
    "REPRESENTATION": ["{s} obtient un siège auprès de {t}."],
    "CONFLICT": ["Tension visible entre {s} et {t}; la rencontre se termine sans entente."],
}
Q_CONFLICT = [
    "Honnêtement, avec {o} c'était le mur. On déposait des plaintes et rien ne bougeait.",
    "{o} nous reprochait de « faire de la politique » au lieu de référer les gens au bon "
    "endroit.",
    "Le ton a monté avec {o}; il a fallu des mois pour rétablir la confiance.",
]

# stance quotes: problem -> stance -> variants ("P" = agree, said by a public actor)
Q_STANCE = {
    "pb-lost-contacts": {
        "A": ["Depuis la fusion, on ne sait plus à qui parler au CIUSSS.",
              "Avant, on avait une organisatrice communautaire attitrée; maintenant, c'est un "
              "numéro central.",
              "The people who knew our organizations were moved or left. That knowledge is "
              "gone.",
              "Les mécanismes de participation du CIUSSS ne correspondent pas à nos priorités; "
              "on nous consulte sur des formulaires."],
        "AC": ["Au comité des usagers, on ne sait plus qui, au CIUSSS, lit nos "
               "recommandations.",
               "Avant, l'infirmière du CLSC connaissait les organismes du quartier; plus "
               "maintenant."],
        "P": ["Je le reconnais: la réorganisation a coupé des liens que les organismes avaient "
              "mis des années à construire."],
        "D": ["Les services d'organisation communautaire existent toujours; la réforme n'a "
              "rien changé pour les organismes.",
              "Les organismes ont toujours accès au CIUSSS par les canaux officiels."],
        "N": ["Il y a sûrement eu une période d'ajustement, mais je n'ai pas de données "
              "là-dessus.",
              "C'est un enjeu de structure; de là où je suis, je n'ai pas de prise là-dessus."],
    },
    "pb-immigrant-seniors": {
        "A": ["Les aînés immigrants ne savent pas qu'ils ont droit au soutien à domicile, et "
              "l'interprétariat est rare.",
              "Many of our seniors only go to the CLSC when a grandchild can come and "
              "translate.",
              "Ils arrivent chez nous quand la situation est déjà en crise.",
              "Sans interprète, l'évaluation à domicile ne se fait tout simplement pas."],
        "AC": ["Ma mère ne parle pas français; au CLSC, c'est moi qui dois tout traduire.",
               "Mon voisin, un aîné, ne savait pas qu'il pouvait avoir de l'aide à domicile."],
        "P": ["Nos données le confirment: très peu d'aînés allophones sont suivis en soutien "
              "à domicile."],
        "D": ["Nos services sont universels: un aîné immigrant est orienté comme tout le "
              "monde."],
        "DC": ["Les aînés immigrants vivent en famille; ils n'ont pas besoin de nos services."],
        "N": ["Je n'ai pas assez de contacts avec cette clientèle pour me prononcer."],
    },
    "pb-transport": {
        "A": ["Réserver 48 heures d'avance pour un rendez-vous qu'on apprend la veille, ça ne "
              "marche pas.",
              "Nos membres manquent des rendez-vous médicaux parce que le transport n'arrive "
              "pas.",
              "Le transport adapté est pensé pour le travail, pas pour les rendez-vous de "
              "santé."],
        "AC": ["I missed two specialist appointments last winter because the bus never came.",
               "Il faut réserver deux jours d'avance; la vie ne marche pas comme ça."],
        "P": ["On a révisé nos règles de réservation: le problème était réel."],
        "D": ["Le service respecte ses normes; les retards sont l'exception."],
        "N": ["Il faudrait documenter les cas avant de conclure à un problème systémique."],
    },
    "pb-youth-mh": {
        "A": ["Un jeune en crise attend des mois; entre l'école, le CIUSSS et nous, il se "
              "perd.",
              "The waiting list was eight months; our kids don't wait eight months.",
              "Les jeunes reviennent chez nous après l'urgence, sans suivi."],
        "AC": ["Mon fils a attendu huit mois pour voir quelqu'un au CLSC.",
               "Ma fille a été renvoyée de l'école au CLSC, puis du CLSC à l'école."],
        "NC": ["Je ne sais pas; mes enfants n'ont jamais eu besoin de ces services."],
        "P": ["On reconnaît qu'il y a un trou de service entre l'école et nos équipes."],
        "D": ["Les délais respectent les cibles ministérielles."],
        "N": ["Les délais varient beaucoup selon les cas; difficile de généraliser."],
    },
    "pb-caregivers": {
        "A": ["Les proches aidants découvrent les services quand ils sont déjà épuisés.",
              "Les familles nous appellent quand elles sont à bout; elles ne savent pas à quelle "
              "porte frapper.",
              "Les services existent, mais personne ne fait le lien pour les familles."],
        "AC": ["Personne ne m'a dit qu'il existait du répit; je l'ai appris à la popote.",
               "Je me suis occupée de mon mari trois ans avant qu'on me parle du soutien à "
               "domicile.",
               "Au comité des usagers, on entend chaque mois des familles épuisées qui ne "
               "savaient pas où demander de l'aide."],
        "P": ["Même nous, on a du mal à s'y retrouver depuis la réorganisation; imaginez les "
              "familles."],
        "D": ["L'information est disponible sur le site du CIUSSS et au 811."],
        "N": ["C'est possible, mais ce n'est pas mon secteur."],
    },
}
Q_STANCE_OBS = {
    "A": "{a} appuie l'énoncé « {pb} » et cite des cas.",
    "D": "{a} conteste l'énoncé « {pb} »: « {q} »",
    "N": "{a} ne se prononce pas sur « {pb} » sans données.",
}
PB_SHORT = {
    "pb-lost-contacts": "perte des portes d'entrée", "pb-immigrant-seniors": "aînés immigrants",
    "pb-transport": "transport adapté", "pb-youth-mh": "santé mentale jeunesse",
    "pb-caregivers": "proches aidants",
}

# fmt: on

# --------------------------------------------------------------------------------------
# Evidence
# --------------------------------------------------------------------------------------

# Fictional research assistants, named as the QDA project names them (qda/generate.py).
CODERS = ["Mathieu Tessier", "Julie Lavallée", "Samuel Bédard"]
ROUNDS = {  # interview rounds
    "R1": ("2015-11-02", "2016-03-31"),
    "R2": ("2017-04-03", "2017-06-30"),
    "R3": ("2018-09-04", "2018-11-30"),
}


@dataclass
class Evidence:
    kind: str
    date: str
    quote: str
    location: str
    coder: str
    document: str = ""
    note: str = ""
    speaker: str = ""
    seq: int = 0
    id: str = ""


CONTRACTIONS = [
    (" de le ", " du "),
    (" à le ", " au "),
    (" de les ", " des "),
    (" à les ", " aux "),
]


def tidy(text: str) -> str:
    """French contractions left by filling templates with names that carry an article."""
    for a, b in CONTRACTIONS:
        text = text.replace(a, b)
    return text


class EvidenceBook:
    """Creates evidence items; ids are given at the end, in date order."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.items: list[Evidence] = []
        self._shared: dict[tuple[str, ...], Evidence] = {}
        self._clock: dict[tuple[str, str], int] = {}
        self._para: dict[str, int] = {}
        self._document_coder: dict[str, str] = {}
        self.fieldnote = {m.id: i for i, m in enumerate(sorted(MEETINGS, key=lambda m: m.id), 1)}
        self.interviews: dict[tuple[str, str], tuple[str, str]] = {}  # -> (date, coder)
        for p in PERSONS:  # fixed order: the schedule does not depend on what is asked
            for r, (lo, hi) in ROUNDS.items():
                if not self._eligible(p, r):
                    continue
                d0, d1 = date.fromisoformat(lo), date.fromisoformat(hi)
                d = d0 + timedelta(days=rng.randrange((d1 - d0).days + 1))
                while (
                    d.weekday() >= 5
                    or (d.month, d.day) >= (12, 20)
                    or (d.month == 1 and d.day <= 7)
                ):
                    d -= timedelta(days=1)
                self.interviews[(p.id, r)] = (max(d, d0).isoformat(), rng.choice(CODERS[:2]))

    @staticmethod
    def _eligible(p: Person, r: str) -> bool:
        lo, hi = ROUNDS[r]
        if p.present_from and p.present_from > hi:
            return False
        if p.present_to and p.present_to < lo:
            return r == "R1"  # staff who left in 2015 are interviewed once, as former staff
        return True

    def _new(self, ev: Evidence) -> Evidence:
        ev.quote = tidy(ev.quote)
        ev.seq = len(self.items)
        self.items.append(ev)
        return ev

    def interview(self, pid: str, not_before: str, quote: str) -> Evidence | None:
        """An excerpt of ``pid``'s first interview held on or after ``not_before``."""
        for r in ROUNDS:
            got = self.interviews.get((pid, r))
            if got and got[0] >= not_before:
                d, coder = got
                t = self._clock.get((pid, r), 60 * self.rng.randint(1, 3))
                t += self.rng.randint(40, 420)
                self._clock[(pid, r)] = t
                loc = f"{t // 3600:02d}:{t // 60 % 60:02d}:{t % 60:02d}"
                return self._new(
                    Evidence(
                        "interview",
                        d,
                        quote,
                        loc,
                        coder,
                        speaker=pid,
                        note=f"interview round {r[1]}",
                    )
                )
        return None

    def observation(self, mid: str, quote: str) -> Evidence:
        key = ("obs", mid, quote)
        if key not in self._shared:
            n = self._para[mid] = self._para.get(mid, 0) + 1
            loc = f"field notes #{self.fieldnote[mid]}, ¶{n}"
            self._shared[key] = self._new(
                Evidence("observation", MEETING[mid].date, quote, loc, CODERS[0])
            )
        return self._shared[key]

    def document(self, doc: str, location: str, quote: str) -> Evidence:
        key = ("doc", doc, location, quote)
        if key not in self._shared:
            # One coder codes a whole document (kb evidence agreement reads a second coder
            # of a source as a double coding). The draw stays, unused, so that the random
            # stream, and with it the rest of the case, is what it was.
            self.rng.choice(CODERS[1:])
            coder = self._document_coder.setdefault(doc, CODERS[1 + len(self._document_coder) % 2])
            self._shared[key] = self._new(
                Evidence("document", DOC_DATE[doc], quote, location, coder, document=doc)
            )
        return self._shared[key]

    def assign_ids(self) -> None:
        for i, ev in enumerate(sorted(self.items, key=lambda e: (e.date, e.seq)), start=1):
            ev.id = f"ev-{i:04d}"


# --------------------------------------------------------------------------------------
# Date helpers
# --------------------------------------------------------------------------------------

DATE_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def earliest(d: str) -> str:
    return (d + "-01-01")[:10] if len(d) == 4 else (d + "-01")[:10]


def latest(d: str) -> str:
    if len(d) == 10:
        return d
    if len(d) == 4:
        return d + "-12-31"
    y, m = int(d[:4]), int(d[5:7])
    nxt = date(y + (m == 12), m % 12 + 1, 1)
    return (nxt - timedelta(days=1)).isoformat()


def active(start: str, end: str, day: str) -> bool:
    """Is a spell active on ``day``? kb's reading: closed at both ends, a partial start
    from its first day, a partial end to its last; empty start = since before observation,
    empty end = ongoing."""
    return (not start or earliest(start) <= day) and (not end or day <= latest(end))


# --------------------------------------------------------------------------------------
# Building the data set
# --------------------------------------------------------------------------------------


def add_filler(rng: random.Random) -> None:
    tied = {frozenset((t.source, t.target)) for t in TIES}
    for cluster, members in CLUSTERS.items():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if frozenset((a, b)) in tied or rng.random() >= FILLER_P[cluster]:
                    continue
                typ = rng.choices([COLLAB, INFO, ADV], weights=[5, 4, 1])[0]
                s, t = (a, b) if rng.random() < 0.5 else (b, a)
                start = rng.choice(["", "", "2008", "2010", "2011", "2012", "2013", "2014"])
                w = str(rng.randint(1, 3)) if rng.random() < 0.35 else ""
                tie(s, t, typ, start, weight=w, cat="pre")
                tied.add(frozenset((a, b)))


def side(a: str) -> str:
    """Citizens and community organizations are one side; public and private the others."""
    return "community" if SECTOR[a] == "citizen" else SECTOR[a]


def speaker_order(t: Tie, prefer_community: bool) -> list[str]:
    ends = [e for e in (t.source, t.target) if e in PERSON]
    if prefer_community:
        ends.sort(key=lambda e: SECTOR[e] == "public")
    return ends


def fill(template: str, t: Tie, speaker: str = "") -> str:
    other = t.target if speaker == t.source else t.source
    org = PERSON[other].org if other in PERSON else other
    text = template.format(o=label(other), s=label(t.source), t=label(t.target), org=ORG_SHORT[org])
    return text[0].upper() + text[1:]


def new_variants(t: Tie, speaker: str) -> list[str]:
    typ = t.type + ("-2" if t.type == COLLAB and t.start >= "2017" else "")
    q = Q_NEW.get(typ, Q_NEW[INFO])
    if isinstance(q, dict):
        return q["out" if speaker == t.source else "in"]
    return q


def obs_variants(t: Tie) -> list[str]:
    if t.type == INFO and SECTOR[t.source] != "public":
        return Q_OBS["INFORMATION-community"]
    return Q_OBS[t.type]


def tie_evidence(t: Tie, book: EvidenceBook, rng: random.Random) -> None:
    start = earliest(t.start) if t.start else "2015-01-01"
    after = earliest(t.end) if t.cat == LOST and t.end else start
    for e in t.ev:
        if e[0] == "doc":
            t.evidence.append(book.document(e[1], e[2], e[3]))
        elif e[0] == "obs":
            t.evidence.append(book.observation(e[1], e[2]))
        elif e[0] == "int":
            got = book.interview(e[1], after, e[2])
            assert got, (t, e)
            t.evidence.append(got)
    if t.at and not any(e[0] == "obs" and e[1] == t.at for e in t.ev):
        t.evidence.append(book.observation(t.at, fill(rng.choice(obs_variants(t)), t)))
    if t.evidence and rng.random() < 0.7:
        return
    cross = side(t.source) != side(t.target)
    if t.cat == LOST:
        for sp in speaker_order(t, prefer_community=rng.random() < 0.75):
            if sp == "p-pleclerc":
                q = Q_LOST_LECLERC
            elif PERSON[sp].present_to:
                q = Q_LOST_GONE
            elif not cross:
                q = Q_LOST_PP
            elif side(sp) == "public":
                q = Q_LOST_PUBLIC
            else:
                q = Q_LOST
            got = book.interview(sp, after, fill(rng.choice(q), t, sp))
            if got:
                t.evidence.append(got)
                break
        if earliest(t.end) <= DOC_DATE["doc-press-2016"] and rng.random() < 0.4:
            t.evidence.append(
                book.document(
                    "doc-press-2016",
                    "p. 3",
                    "« Depuis la fusion, on ne sait plus à qui parler au CIUSSS », résume la "
                    "directrice d'un organisme.",
                )
            )
        elif rng.random() < 0.4:
            t.evidence.append(
                book.document(
                    "doc-memoire-2016",
                    "p. 4",
                    "Entre avril 2015 et juin 2016, la majorité des organismes membres ont perdu "
                    "leur interlocuteur au CLSC.",
                )
            )
        return
    kind = "conflict" if t.type == CONF else ("pre" if start < "2015-06-01" else "new")
    speakers = speaker_order(t, prefer_community=kind != "new" or rng.random() < 0.7)
    if len(speakers) == 2 and rng.random() < 0.3:
        speakers.reverse()
    for n, sp in enumerate(speakers):
        if kind == "conflict":
            q = Q_CONFLICT
        elif kind == "pre":
            q = Q_PRE_CP if cross else (Q_PRE_CIT if SECTOR[sp] == "citizen" else Q_PRE_COMM)
        else:
            q = Q_NEW_PUBLIC if cross and side(sp) == "public" else new_variants(t, sp)
        got = book.interview(sp, start, fill(rng.choice(q), t, sp))
        if got:
            t.evidence.append(got)
            if n > 0 or rng.random() < 0.75:
                break
    assert t.evidence, t


def wg_members_on(day: str) -> list[tuple[str, str]]:
    return [(m[0], m[2]) for m in MEMBERSHIPS if m[1] == "wg" and active(m[3], m[4], day)]


def build_attendance(rng: random.Random) -> dict[str, dict[str, str]]:
    att: dict[str, dict[str, str]] = {}
    for m in MEETINGS:
        roles = dict(m.roles)
        if m.kind == WG_MEETING:
            for pid, _role in wg_members_on(m.date):
                if pid not in roles and (pid == "p-lsimard" or rng.random() < 0.8):
                    roles[pid] = "participant"
        att[m.id] = roles
    for t in TIES:
        if t.at:
            for e in (t.source, t.target):
                if e in PERSON and e not in att[t.at]:
                    wg = MEETING[t.at].kind == WG_MEETING
                    att[t.at][e] = "guest" if wg and SECTOR[e] == "public" else "participant"
    return att


def stance_variants(pid: str, pb: str, stance: str) -> list[str]:
    q, sector = Q_STANCE[pb], SECTOR[pid]
    if sector in ("public", "private"):
        return q["P"] + q["A"][:1] if stance == "A" else q[stance]
    if sector == "citizen":
        own = q.get(stance + "C", [])
        return own or q.get("DC", q["D"]) if stance == "D" else own or q[stance]
    return q.get("DC", q["D"]) if stance == "D" else q[stance]


def build() -> dict[str, list[list[str]]]:
    rng = random.Random(SEED)
    add_filler(rng)
    book = EvidenceBook(rng)
    TIES.sort(key=lambda t: (earliest(t.start) if t.start else "", t.source, t.target, t.type))
    for t in TIES:
        tie_evidence(t, book, rng)

    # memberships
    law = book.document(
        "doc-loi10",
        "s. 170",
        "Staff of an abolished agency or amalgamated institution on "
        "2015-03-31 become employees of the successor institution on "
        "2015-04-01 (paraphrase).",
    )
    mem_rows = []
    for pid, org, role, start, end, hint in MEMBERSHIPS:
        p, evs = PERSON[pid], []
        org_name = {o[0]: o[1] for o in ORGANIZATIONS}[org].replace(" (fictional)", "")
        if hint == "law":
            evs.append(law)
        elif hint == "chart":
            evs.append(book.document("doc-ciusss-organigramme", "p. 3", f"{p.name} — {role}"))
        elif hint.startswith("doc:"):
            evs.append(book.document(hint[4:], "p. 1", f"{p.name} ({org_name}) — {role}"))
        elif hint.startswith("obs:"):
            evs.append(book.observation(hint[4:], f"{p.first} se joint au groupe: {role}."))
        elif hint == "int":
            got = book.interview(
                pid, earliest(start), f"I've been with {org_name} since {start[:4]} ({role})."
            )
            assert got, pid
            evs.append(got)
        mem_rows.append((pid, org, role, start, end, evs))

    # attendance
    att = build_attendance(rng)
    att_rows = []
    for m in MEETINGS:
        if m.id in MINUTES:
            ev = book.document(
                MINUTES[m.id], "p. 1", f"Présences : {len(att[m.id])} personnes (liste nominative)."
            )
        else:
            ev = book.observation(m.id, m.note)
        book.observation(m.id, m.note)  # every meeting has its field-notes summary
        for pid in sorted(att[m.id]):
            att_rows.append((m.id, pid, att[m.id][pid], [ev]))

    # positions
    pos_rows = []
    said: dict[tuple[str, str], set[str]] = defaultdict(set)
    for pid, probs in STANCES.items():
        for pb, waves in probs.items():
            for w, stance in enumerate(waves):
                if stance == "-":
                    continue
                variants = stance_variants(pid, pb, stance)
                fresh = [v for v in variants if v not in said[(pid, pb)]] or variants
                quote = rng.choice(fresh)
                said[(pid, pb)].add(quote)
                if w == 1:
                    if pid not in att["m-2016-10-19"]:
                        raise SystemExit(f"{pid} has a W2 stance but does not attend")
                    obs = Q_STANCE_OBS[stance].format(a=PERSON[pid].first, pb=PB_SHORT[pb], q=quote)
                    ev = book.observation("m-2016-10-19", obs)
                else:
                    got = book.interview(pid, ROUNDS[("R1", "", "R2", "R3")[w]][0], quote)
                    assert got, (pid, pb, w)
                    ev = got
                stance_word = {"A": "agree", "D": "disagree", "N": "neutral"}[stance]
                pos_rows.append((pid, pb, stance_word, ev.date, [ev]))

    book.assign_ids()
    for i, t in enumerate(TIES, start=1):
        t.id = f"t-{i:03d}"

    def ids(evs: list[Evidence]) -> str:
        return ";".join(dict.fromkeys(e.id for e in evs))

    return {
        "territories": [["id", "name", "kind", "parent"]] + [list(t) for t in TERRITORIES],
        "organizations": [["id", "name", "kind", "sector", "territory", "description", "note"]]
        + [[*o, "real body" if o[0] == "msss" else FICT_ORG] for o in ORGANIZATIONS],
        "actors": [["id", "name", "sector", "territory", "description", "note"]]
        + [
            [p.id, p.name, p.sector, p.territory, p.description, "fictional person"]
            for p in PERSONS
        ],
        "ties": [
            [
                "id",
                "source",
                "target",
                "type",
                "start",
                "end",
                "directed",
                "weight",
                "evidence",
                "amount_cad",
                "note",
            ]
        ]
        + [
            [
                t.id,
                t.source,
                t.target,
                t.type,
                t.start,
                t.end,
                t.directed,
                t.weight,
                ids(t.evidence),
                t.amount,
                t.note,
            ]
            for t in TIES
        ],
        "memberships": [["person", "organization", "role", "start", "end", "evidence"]]
        + [[p, o, r, s, e, ids(ev)] for p, o, r, s, e, ev in mem_rows],
        "meetings": [["id", "date", "title", "kind", "venue", "territory", "problems"]]
        + [
            [m.id, m.date, m.title, m.kind, m.venue, m.territory, ";".join(DISCUSSED[m.id])]
            for m in MEETINGS
        ],
        "attendance": [["meeting", "actor", "role", "evidence"]]
        + [[m, a, r, ids(ev)] for m, a, r, ev in att_rows],
        "documents": [["id", "title", "date", "kind", "author"]] + [list(d) for d in DOCUMENTS],
        "reforms": [["id", "name", "date", "jurisdiction", "description"]]
        + [list(r) for r in REFORMS],
        "reform_effects": [["reform", "organization", "effect", "successor", "date"]]
        + [list(r) for r in REFORM_EFFECTS],
        "stages": [["id", "name", "start", "end", "description"]] + [list(s) for s in STAGES],
        "evidence": [
            ["id", "kind", "date", "document", "quote", "location", "coder", "note", "informant"]
        ]
        + [
            [e.id, e.kind, e.date, e.document, e.quote, e.location, e.coder, e.note, e.speaker]
            for e in sorted(book.items, key=lambda e: e.id)
        ],
        "problems": [["id", "statement"]] + [list(p) for p in PROBLEMS],
        "positions": [["actor", "problem", "stance", "date", "evidence"]]
        + [[a, p, s, d, ids(ev)] for a, p, s, d, ev in pos_rows],
    }


# --------------------------------------------------------------------------------------
# Self-check (the official validator is kb.importers.validate; this one also checks the
# story)
# --------------------------------------------------------------------------------------

TIE_TYPES = {"INFORMATION", "COLLABORATION", "FUNDING", "REPRESENTATION", "ADVICE", "CONFLICT"}
SECTORS = {"community", "public", "citizen", "private"}
EFFECTS = {"abolished", "merged_into", "created", "restructured"}
EV_KINDS = {"interview", "observation", "document", "other"}
STANCE_WORDS = {"agree", "disagree", "neutral"}
RANGES = {  # file -> (min, max) rows
    "ties": (150, 250),
    "meetings": (25, 35),
    "documents": (15, 40),
    "evidence": (150, 800),
    "problems": (4, 6),
    "stages": (2, 2),
    "reforms": (2, 2),
}


def as_dicts(rows: list[list[str]]) -> list[dict[str, str]]:
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def community_side(a: str) -> bool:
    return SECTOR[a] in ("community", "citizen")


def cross_cp(t: dict[str, str]) -> bool:
    """A tie between the community side (community, citizen) and the public sector."""
    a, b = t["source"], t["target"]
    return {community_side(a), SECTOR[b] == "public"} == {True} or (
        SECTOR[a] == "public" and community_side(b)
    )


def in_stage(d: str, stage: tuple[str, ...]) -> bool:
    return bool(d) and earliest(stage[2]) <= earliest(d) <= latest(stage[3])


def check(tables: dict[str, list[list[str]]]) -> list[str]:
    issues: list[str] = []
    T = {name: as_dicts(rows) for name, rows in tables.items()}

    def bad(msg: str) -> None:
        issues.append(msg)

    def ids(name: str, col: str = "id") -> set[str]:
        vals = [r[col] for r in T[name]]
        for v, n in Counter(vals).items():
            if n > 1:
                bad(f"{name}: duplicate id {v}")
        return set(vals)

    terr, orgs, persons = ids("territories"), ids("organizations"), ids("actors")
    meetings, docs, evs = ids("meetings"), ids("documents"), ids("evidence")
    problems, reforms = ids("problems"), ids("reforms")
    ids("stages")
    ids("ties")
    actors = orgs | persons
    if orgs & persons:
        bad(f"ids used both as person and organization: {sorted(orgs & persons)}")

    def dates(name: str, row: dict[str, str], *cols: str) -> None:
        for c in cols:
            if row.get(c) and not DATE_RE.match(row[c]):
                bad(f"{name}: bad date {c}={row[c]!r} in {row}")

    def spell(name: str, row: dict[str, str]) -> None:
        dates(name, row, "start", "end")
        if row.get("start") and row.get("end") and latest(row["start"]) > earliest(row["end"]):
            bad(f"{name}: end before start in {row}")

    def evref(name: str, row: dict[str, str], required: bool = False) -> None:
        refs = [e for e in row.get("evidence", "").split(";") if e]
        if required and not refs:
            bad(f"{name}: no evidence in {row}")
        for e in refs:
            if e not in evs:
                bad(f"{name}: unknown evidence {e}")

    for r in T["territories"]:
        if r["parent"] and r["parent"] not in terr:
            bad(f"territories: unknown parent {r['parent']}")
    for name in ("organizations", "actors", "meetings"):
        for r in T[name]:
            if r["territory"] not in terr:
                bad(f"{name}: unknown territory {r['territory']}")
            if name != "meetings" and r["sector"] not in SECTORS:
                bad(f"{name}: bad sector {r['sector']}")
    seen: set[tuple[str, ...]] = set()
    for r in T["ties"]:
        s, t = r["source"], r["target"]
        if s not in actors or t not in actors:
            bad(f"ties: unknown actor in {r['id']}")
            continue
        if s == t:
            bad(f"ties: self-tie {r['id']}")
        if r["type"] not in TIE_TYPES:
            bad(f"ties: bad type {r['type']}")
        if r["directed"] not in ("", "true", "false"):
            bad(f"ties: bad directed {r['directed']}")
        if r["weight"] and not re.fullmatch(r"\d+(\.\d+)?", r["weight"]):
            bad(f"ties: bad weight {r['weight']}")
        spell("ties", r)
        evref("ties", r, required=True)
        key = (s, t, r["type"], r["start"])
        ukey = (*sorted((s, t)), r["type"], r["start"])
        if key in seen or (r["directed"] == "false" and ukey in seen):
            bad(f"ties: duplicate {key}")
        seen.update({key, ukey} if r["directed"] == "false" else {key})
        for a in (s, t):  # ties stay inside the life of organizations and persons
            if a in ORG_ENDS and (not r["end"] or latest(r["end"]) > ORG_ENDS[a]):
                bad(f"ties: {r['id']} outlives {a}")
            if a in ORG_STARTS and (not r["start"] or earliest(r["start"]) < ORG_STARTS[a]):
                bad(f"ties: {r['id']} starts before {a} exists")
            p = PERSON.get(a)
            if p and p.present_to and (not r["end"] or latest(r["end"]) > p.present_to):
                bad(f"ties: {r['id']} outlives {a}'s presence")
            if p and p.present_from and (not r["start"] or latest(r["start"]) < p.present_from):
                bad(f"ties: {r['id']} starts before {a} arrives")
    for r in T["memberships"]:
        if r["person"] not in persons or r["organization"] not in orgs:
            bad(f"memberships: unknown reference in {r}")
        spell("memberships", r)
        evref("memberships", r)
        o = r["organization"]
        if o in ORG_ENDS and (not r["end"] or latest(r["end"]) > ORG_ENDS[o]):
            bad(f"memberships: {r} outlives {o}")
        if o in ORG_STARTS and earliest(r["start"]) < ORG_STARTS[o]:
            bad(f"memberships: {r} starts before {o} exists")
    mdate = {r["id"]: r["date"] for r in T["meetings"]}
    for r in T["meetings"]:
        dates("meetings", r, "date")
        for pb in split_ids(r["problems"]):
            if pb not in problems:
                bad(f"meetings: unknown problem {pb} in {r['id']}")
    if set(DISCUSSED) != meetings:
        bad(f"meetings: problems not given for {sorted(meetings ^ set(DISCUSSED))}")
    for r in T["attendance"]:
        if r["meeting"] not in meetings or r["actor"] not in actors:
            bad(f"attendance: unknown reference in {r}")
            continue
        evref("attendance", r)
        p = PERSON.get(r["actor"])
        d = mdate[r["meeting"]]
        if p and ((p.present_from and d < p.present_from) or (p.present_to and d > p.present_to)):
            bad(f"attendance: {r['actor']} not present on {d}")
    for r in T["documents"]:
        dates("documents", r, "date")
        if r["author"] and r["author"] not in actors:
            bad(f"documents: unknown author {r['author']}")
    for r in T["reforms"]:
        dates("reforms", r, "date")
    for r in T["reform_effects"]:
        dates("reform_effects", r, "date")
        if r["reform"] not in reforms or r["organization"] not in orgs:
            bad(f"reform_effects: unknown reference in {r}")
        if r["effect"] not in EFFECTS:
            bad(f"reform_effects: bad effect {r['effect']}")
        if r["effect"] == "merged_into" and not r["successor"]:
            bad(f"reform_effects: merged_into without successor: {r}")
        if r["successor"] and r["effect"] != "merged_into":
            bad(f"reform_effects: successor is only for merged_into: {r}")
        if r["successor"] and r["successor"] not in orgs:
            bad(f"reform_effects: unknown successor {r['successor']}")
    for r in T["stages"]:
        spell("stages", r)
    for r in T["evidence"]:
        dates("evidence", r, "date")
        if r["kind"] not in EV_KINDS:
            bad(f"evidence: bad kind {r['kind']}")
        if r["document"] and r["document"] not in docs:
            bad(f"evidence: unknown document {r['document']}")
        if r["kind"] == "document" and not r["document"]:
            bad(f"evidence: document evidence without document: {r['id']}")
        if r["informant"] and r["informant"] not in persons:
            bad(f"evidence: unknown informant {r['informant']}")
    for r in T["positions"]:
        dates("positions", r, "date")
        if r["actor"] not in actors or r["problem"] not in problems:
            bad(f"positions: unknown reference in {r}")
        if r["stance"] not in STANCE_WORDS:
            bad(f"positions: bad stance {r['stance']}")
        evref("positions", r)
    # counts
    n_actors = len(T["actors"]) + len(T["organizations"])
    if not 60 <= n_actors <= 100:
        bad(f"persons + organizations = {n_actors}, expected 60-100")
    for name, (lo, hi) in RANGES.items():
        if not lo <= len(T[name]) <= hi:
            bad(f"{name}: {len(T[name])} rows, expected {lo}-{hi}")
    # story
    s = story(T)
    if s["lost"] < 10:
        bad(f"story: only {s['lost']} community-public ties end 2015-04..2016-06")
    if s["formed_stage2"] <= s["formed_stage1"]:
        bad("story: stage 2 does not form more community-public ties than stage 1")
    if not s["agree_early"] < 0.7 <= 0.8 <= s["agree_late"]:
        bad(f"story: stances do not converge ({s['agree_early']:.2f} -> {s['agree_late']:.2f})")
    if not 3 <= s["conflicts"] <= 10:
        bad(f"story: {s['conflicts']} CONFLICT ties")
    for r in T["meetings"]:
        if r["kind"] == WG_MEETING and r["date"] < "2017" and not r["problems"]:
            bad(f"story: stage-1 WG meeting {r['id']} discusses no problem")
    if not s["meetings_none"] <= 4 or s["meetings_1_3"] * 2 <= len(T["meetings"]):
        bad("story: most meetings should discuss 1-3 problems and only a few none")
    return issues


def network_on(T: dict[str, list[dict[str, str]]], day: str) -> dict[str, set[str]]:
    """Directed arcs among persons active on ``day`` (undirected ties count both ways;
    CONFLICT and FUNDING ties are left out)."""
    out: dict[str, set[str]] = defaultdict(set)
    for r in T["ties"]:
        if r["type"] in ("CONFLICT", "FUNDING") or not active(r["start"], r["end"], day):
            continue
        s, t = r["source"], r["target"]
        if s in PERSON and t in PERSON:
            out[s].add(t)
            if r["directed"] == "false":
                out[t].add(s)
    return out


def cross_sector_brokerage(T: dict[str, list[dict[str, str]]], day: str) -> list[tuple[int, str]]:
    """Gould-Fernandez two-paths a->b->c (no a->c arc) where the community side and the public
    sector both occur among a, b, c; counted per broker b."""
    arcs = network_on(T, day)
    side = {p: ("public" if SECTOR[p] == "public" else "community") for p in PERSON}
    counts: Counter[str] = Counter()
    for b in sorted(arcs):
        ins = [a for a in arcs if b in arcs[a]]
        for a in ins:
            for c in arcs[b]:
                if c != a and c not in arcs[a] and len({side[a], side[b], side[c]}) > 1:
                    counts[b] += 1
    return sorted(((n, b) for b, n in counts.items()), key=lambda x: (-x[0], x[1]))


def split_ids(cell: str) -> list[str]:
    return [x for x in cell.split(";") if x]


def story(T: dict[str, list[dict[str, str]]]) -> dict[str, float]:
    cp = [t for t in T["ties"] if cross_cp(t)]
    lost = [t for t in cp if t["end"] and "2015-04-01" <= earliest(t["end"]) <= "2016-06-30"]
    f1 = [t for t in cp if in_stage(t["start"], STAGES[0])]
    f2 = [t for t in cp if in_stage(t["start"], STAGES[1])]
    early = [p for p in T["positions"] if p["date"] < "2017"]
    late = [p for p in T["positions"] if p["date"] >= "2017"]

    def share(rows: list[dict[str, str]]) -> float:
        return sum(p["stance"] == "agree" for p in rows) / max(1, len(rows))

    return {
        "lost": len(lost),
        "lost_all": sum(
            1 for t in T["ties"] if t["end"] and "2015-04-01" <= earliest(t["end"]) <= "2016-06-30"
        ),
        "lost_persons": sum(t["source"] in PERSON and t["target"] in PERSON for t in lost),
        "eve": sum(t["end"] == EVE for t in T["ties"]),
        "eve_funding": sum(t["end"] == EVE and t["type"] == "FUNDING" for t in T["ties"]),
        "formed_stage1": len(f1),
        "formed_stage2": len(f2),
        "agree_early": share(early),
        "agree_late": share(late),
        "n_early": len(early),
        "n_late": len(late),
        "conflicts": sum(t["type"] == "CONFLICT" for t in T["ties"]),
        "undirected": sum(t["directed"] == "false" for t in T["ties"]),
        "weighted": sum(bool(t["weight"]) for t in T["ties"]),
        "partial_dates": sum(len(t["start"]) in (4, 7) for t in T["ties"]),
        "open_start": sum(not t["start"] for t in T["ties"]),
        "meetings_none": len([m for m in T["meetings"] if not m["problems"]]),
        "meetings_1_3": len([m for m in T["meetings"] if 1 <= len(split_ids(m["problems"])) <= 3]),
        "meetings_more": len([m for m in T["meetings"] if len(split_ids(m["problems"])) > 3]),
    }


# --------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------

FILES = [
    "territories",
    "organizations",
    "actors",
    "ties",
    "memberships",
    "meetings",
    "attendance",
    "documents",
    "reforms",
    "reform_effects",
    "stages",
    "evidence",
    "problems",
    "positions",
]


FILE_NOTES = {
    "territories": "Québec, the fictional region and its three RLS",
    "organizations": "public bodies before and after Bill 10, community organizations, the "
    "WG, concertation tables, citizen groups, a GMF and a foundation",
    "actors": "persons: community workers, citizens, public-sector staff, two private actors",
    "ties": "INFORMATION, COLLABORATION, FUNDING, REPRESENTATION, ADVICE, CONFLICT with spells",
    "memberships": "jobs and seats, incl. the 2015-04-01 transfer of staff to the CIUSSS",
    "meetings": "WG meetings, meetings with public actors, joint committees, public forums, "
    "with the problems discussed",
    "attendance": "who attended each meeting, with roles (chair, presenter, guest, ...)",
    "documents": "the two bills, minutes, briefs, reports, newsletters, agreements",
    "reforms": "Bill 10 and Bill 20",
    "reform_effects": "agency abolished, CSSS/CJ/CRDP merged into the CIUSSS, CIUSSS created, "
    "CLSC restructured",
    "stages": "problem-definition, mobilization",
    "evidence": "interview excerpts, field notes and document passages (fictional)",
    "problems": "five access problems",
    "positions": "stances on the problems, four waves 2015-2018",
}


def csv_text(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def readme_block(tables: dict[str, list[list[str]]]) -> str:
    T = {name: as_dicts(rows) for name, rows in tables.items()}
    s = story(T)
    lines = ["| file | rows | content |", "|---|---:|---|"]
    lines += [f"| `{n}.csv` | {len(tables[n]) - 1} | {FILE_NOTES[n]} |" for n in FILES]
    sec = Counter(r["sector"] for r in T["actors"] + T["organizations"])
    lines += [
        "",
        f"Persons and organizations: {len(T['actors'])} + {len(T['organizations'])} = "
        f"{len(T['actors']) + len(T['organizations'])} "
        f"({', '.join(f'{k} {v}' for k, v in sorted(sec.items()))}).",
        "",
        f"- Ties ended by Bill 10 on the eve of the reform (end 2015-03-31): {s['eve']}, of "
        f"which {s['eve_funding']} FUNDING ties from the agency and the ministry.",
        f"- Community-public ties that end after the reform, between 2015-04-01 and "
        f"2016-06-30: {s['lost']} ({s['lost_persons']} between persons); all ties ending in "
        f"that window: {s['lost_all']}.",
        f"- Community-public ties formed in stage 1 (2015-06..2016-12): {s['formed_stage1']}; "
        f"in stage 2 (2017-01..2018-12): {s['formed_stage2']}.",
        f"- Share of `agree` positions: {s['agree_early']:.0%} of {s['n_early']} in 2015-2016, "
        f"{s['agree_late']:.0%} of {s['n_late']} in 2017-2018.",
        f"- CONFLICT ties: {s['conflicts']}; undirected ties: {s['undirected']}; weighted: "
        f"{s['weighted']}; ties with a partial start date (`YYYY` / `YYYY-MM`): "
        f"{s['partial_dates']}; with an empty start (before observation): {s['open_start']}.",
        f"- Meetings by problems discussed (`problems` column): 1-3 problems at "
        f"{s['meetings_1_3']}, more at {s['meetings_more']}, none at {s['meetings_none']}.",
        "",
        "Top cross-sector brokers (person-to-person ties without CONFLICT and FUNDING; "
        "open two-paths a→b→c whose ends are not all on b's side):",
        "",
        "| on | top brokers (count) |",
        "|---|---|",
    ]
    for day in ("2015-03-31", "2016-06-30", "2018-06-30"):
        top = cross_sector_brokerage(T, day)[:5]
        lines.append(f"| {day} | " + ", ".join(f"{PERSON[b].name} ({n})" for n, b in top) + " |")
    return "\n".join(lines)


def update_readme(tables: dict[str, list[list[str]]]) -> None:
    path = HERE / "README.md"
    if not path.exists():
        return
    text = path.read_text(encoding="utf-8")
    start, end = "<!-- generated:start -->", "<!-- generated:end -->"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        text = f"{head}{start}\n{readme_block(tables)}\n{end}{tail}"
        path.write_text(text, encoding="utf-8", newline="\n")


# The case record (case.csv): the study, and what `kb publish` describes its package with
# (docs/ethics.md). 0000-0002-1825-0097 is ORCID's own fictional example iD.
CASE_RECORD = [
    [
        "id",
        "name",
        "description",
        "title",
        "creators",
        "publisher",
        "publication_year",
        "licence",
        "keywords",
        "resource_type",
    ],
    [
        "quebec-wg",
        "Québec community working group (fictional)",
        "A fictional community working group in a Québec health region, 2015-2018: the "
        "ties its citizens and community organizations build with public actors after the "
        "2015 health-system reforms (Bill 10, Bill 20), with the evidence behind each tie. "
        "All persons and organizations are fictional.",
        "A community working group and the 2015 Québec health reforms: "
        "a longitudinal network case (fictional example)",
        "Josiah Carberry <0000-0002-1825-0097> (Université fictive du Centre-Nord); "
        "Aline Fortier (Université fictive du Centre-Nord)",
        "kb example data (fictional)",
        "2026",
        "CC-BY-4.0",
        "social network analysis; community organizations; health reform; Québec; "
        "longitudinal study",
        "Dataset",
    ],
]


def main() -> int:
    tables = build()
    (HERE / "case.csv").write_text(csv_text(CASE_RECORD), encoding="utf-8", newline="")
    for name in FILES:
        (HERE / f"{name}.csv").write_text(csv_text(tables[name]), encoding="utf-8", newline="")
    update_readme(tables)
    issues = check(tables)
    width = max(map(len, FILES))
    for name in FILES:
        print(f"{name + '.csv':<{width + 4}} {len(tables[name]) - 1:>4}")
    for msg in issues:
        print("ISSUE:", msg, file=sys.stderr)
    print("self-check:", "OK" if not issues else f"{len(issues)} issue(s)", file=sys.stderr)
    return 1 if issues else 0


if __name__ == "__main__":
    sys.exit(main())
