# SPDX-License-Identifier: GPL-3.0-or-later
"""What the demo archive contains: patients, studies, and what each is for.

All dates are fixed, relative to the demo's "today" (REFERENCE_DATE, a
Friday). docs/demo-data.md describes the same content for humans.
"""

REFERENCE_DATE = "20250314"

# Body Part Examined, SNOMED CT code, code meaning (PS3.16 Annex L / CID 4031)
LOWER_LEG = ("LEG", "30021000", "Lower leg")
FOREARM = ("FOREARM", "14975008", "Forearm")  # dicom3tools warns: it knows no FOREARM
BACK = ("BACK", "77568009", "Back")
EAR = ("EAR", "117590005", "Ear")
CHEST = ("CHEST", "43799004", "Chest")
LUNG = ("LUNG", "39607008", "Lung")

PATIENTS = [
    {"key": "doe", "name": "DOE^JANE", "id": "100234", "birth": "19620411", "sex": "F"},
    {"key": "roe", "name": "ROE^MAX", "id": "100871", "birth": "19790923", "sex": "M"},
    {"key": "khan", "name": "KHAN^AMIRA", "id": "101502", "birth": "19550217", "sex": "F"},
    {"key": "okafor", "name": "OKAFOR^DANIEL", "id": "102117", "birth": "20160823", "sex": "M"},
]

PHONE = {
    "modality": "XC",
    "manufacturer": "Patient smartphone",
    "model": "Smartphone camera (patient-owned)",
    "software": "Patient portal upload 3.2",
    "station": "",
    "institution": "",
}

_WOUND = dict(PHONE, kind="wound", body_part=LOWER_LEG, laterality="L",
              study_description="Wound photo \u2014 patient upload",
              series_description="Left lower leg wound \u2014 smartphone photo")
_MOLE = dict(PHONE, kind="mole", body_part=FOREARM, laterality="R",
             study_description="Skin lesion photo \u2014 patient upload",
             series_description="Right forearm naevus \u2014 smartphone photo")
_BACK = dict(PHONE, kind="back", body_part=BACK, laterality=None,
             study_description="Skin lesion photo \u2014 patient upload",
             series_description="Back, new lesion \u2014 smartphone photo")

STUDIES = [
    # ---- Jane Doe: healing leg wound, 4 visits 2 weeks apart (scene 2, 3)
    dict(_WOUND, number=1, patient="doe", date="20250131", time="182011",
         visit="1 of 4 (baseline)",
         patient_comments="Baseline photo. I scraped my shin on the car door four weeks ago "
                          "and it is not closing.",
         draw=dict(seed=1101, size=(2000, 1500), mm_per_px=0.100, area_mm2=412.0,
                   ruler_deg=-2.0, tilt_deg=-3.0, wound_xy=(0.42, -12.0), stage=0.0),
         purpose="Scene 2/3: baseline of the wound timeline (412 mm\u00b2)."),
    dict(_WOUND, number=2, patient="doe", date="20250214", time="190532",
         visit="2 of 4 (+2 w)",
         patient_comments="Dressing changed by the district nurse on Monday. Less fluid now.",
         draw=dict(seed=1102, size=(2000, 1500), mm_per_px=0.085, area_mm2=296.0,
                   ruler_deg=3.5, tilt_deg=1.5, wound_xy=(0.44, -10.0), stage=0.33),
         purpose="Scene 2: timeline, second visit (296 mm\u00b2)."),
    dict(_WOUND, number=3, patient="doe", date="20250228", time="174805",
         visit="3 of 4 (+4 w)", model="Smartphone camera (patient-owned, 12 MP)",
         patient_comments="Took it with my new phone. The edges look pinker.",
         draw=dict(seed=1103, size=(4032, 3024), mm_per_px=0.050, area_mm2=188.0,
                   ruler_deg=1.0, tilt_deg=-1.0, wound_xy=(0.43, -11.0), stage=0.66),
         purpose="Scene 2: timeline, third visit; the 12 MP photo (188 mm\u00b2)."),
    dict(_WOUND, number=4, patient="doe", date="20250314", time="074012",
         visit="4 of 4 (+6 w)",
         patient_comments="It hurts more since Tuesday.",
         draw=dict(seed=1104, size=(2000, 1500), mm_per_px=0.110, area_mm2=96.0,
                   ruler_deg=-5.0, tilt_deg=2.5, wound_xy=(0.45, -10.0), stage=1.0),
         purpose="Scene 1: newest study, opened first, approved (note shown). "
                 "Scene 2/3: '+6 w' (96 mm\u00b2, -77 % since baseline)."),
    # ---- Max Roe: naevus on the right forearm, quarterly; new lesion on the back
    dict(_MOLE, number=5, patient="roe", date="20240912", time="201533",
         visit="1 of 3",
         patient_comments="Mole on my right forearm. My GP asked me to send a photo every "
                          "three months.",
         draw=dict(seed=1201, size=(1600, 1200), mm_per_px=0.060, diameter_mm=5.8,
                   ruler_deg=3.0, tilt_deg=-5.0),
         purpose="Lesion follow-up series, first photo (5.8 mm)."),
    dict(_MOLE, number=6, patient="roe", date="20241212", time="193010",
         visit="2 of 3",
         patient_comments="Three-month photo. I think it looks the same.",
         draw=dict(seed=1202, size=(1600, 1200), mm_per_px=0.062, diameter_mm=6.1,
                   ruler_deg=-1.5, tilt_deg=-2.0),
         purpose="Lesion follow-up series (6.1 mm)."),
    dict(_MOLE, number=7, patient="roe", date="20250312", time="210244",
         visit="3 of 3",
         patient_comments="Six-month photo. It itches sometimes.",
         draw=dict(seed=1203, size=(1600, 1200), mm_per_px=0.058, diameter_mm=6.7,
                   ruler_deg=2.0, tilt_deg=-6.0),
         purpose="Lesion follow-up series, newest (6.7 mm: growing). Sharp, well exposed."),
    dict(_BACK, number=8, patient="roe", date="20250313", time="214012",
         visit="new lesion, attempt 1",
         patient_comments="New spot on my back, my wife took the photo.",
         draw=dict(seed=1204, size=(1600, 1200), mm_per_px=0.070, mode="blur", blur_px=34),
         purpose="Scene 1: quality badge 'blurry' (camera shake); rejected, motion blur."),
    dict(_BACK, number=9, patient="roe", date="20250314", time="061530",
         visit="new lesion, attempt 2",
         patient_comments="Second try, taken before work.",
         draw=dict(seed=1205, size=(1600, 1200), mm_per_px=0.070, mode="dark"),
         purpose="Scene 1: quality badge 'under-exposed'; retake requested."),
    # ---- Amira Khan: heart failure follow-up
    dict(number=10, patient="khan", kind="cr", date="20250220", time="103000",
         modality="CR", manufacturer="Lightbox demo (synthetic)", model="Synthetic CR",
         software="make-demo-data", station="XR2", institution="Demo General Hospital",
         referring="SMITH^ANNA^^DR", body_part=CHEST, laterality=None,
         study_description="Chest X-ray PA", series_description="Chest PA",
         patient_comments="",
         purpose="Window/level on a 12-bit image: presets FULL RANGE, LUNG, MEDIASTINUM."),
    dict(number=11, patient="khan", kind="us", date="20250313", time="092040",
         modality="US", manufacturer="Patient handheld ultrasound",
         model="Wireless handheld probe, curvilinear", software="Home ultrasound app 1.8",
         station="", institution="", body_part=LUNG, laterality="R",
         study_description="Home lung ultrasound \u2014 patient upload",
         series_description="Right anterior chest, intercostal sweep",
         patient_comments="Breathing feels heavier when I lie down. Did the scan as shown in "
                          "the training.",
         purpose="Cine playback (Space): 48 frames at 20 frames/s; B-lines."),
    # ---- Daniel Okafor: ear check with a clip-on otoscope
    dict(PHONE, number=12, patient="okafor", kind="otoscope", date="20250312", time="163211",
         model="Smartphone with clip-on otoscope", body_part=EAR, laterality="R",
         study_description="Otoscope photo \u2014 patient upload",
         series_description="Right ear \u2014 tympanic membrane",
         patient_comments="Ear check after the antibiotics. No pain any more.",
         draw=dict(seed=1401, size=(1280, 960)),
         purpose="A clean, approvable photo (normal right tympanic membrane)."),
]

for _s in STUDIES:
    _s.setdefault("accession", "DEMO%04d" % _s["number"])
