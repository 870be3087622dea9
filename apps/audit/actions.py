"""Every action a hospital's audit log records: its stable code (``<record>.<verb>``,
stored in each event and searched by prefix) and the label people read.

The codes never change once written (old rows keep them); a new action is a new line
here. ``audited`` refuses a code missing from this list when its module is imported,
and a test checks every code a module records, so no event is ever shown as a bare
code for want of a label."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    # sign-in (apps.audit.receivers)
    "session.signed_in": _("Signed in"),
    "session.signed_out": _("Signed out"),
    "session.sign_in_failed": _("Failed sign-in"),
    # logins, as the hospital's administrators manage them (apps.staff)
    "account.created": _("Login created"),
    "account.password_reset": _("Password reset"),
    "account.two_factor_reset": _("Two factors reset"),
    "account.deactivated": _("Login deactivated"),
    "account.reactivated": _("Login reactivated"),
    "account.role_changed": _("Role changed"),
    # staff and doctor records
    "staff_member.created": _("Staff record created"),
    "staff_member.updated": _("Staff record changed"),
    "staff_member.login_linked": _("Login linked to staff record"),
    "staff_member.login_unlinked": _("Login unlinked from staff record"),
    "staff_member.login_created": _("Login created for staff record"),
    "doctor.created": _("Doctor record created"),
    "doctor.updated": _("Doctor record changed"),
    # patients
    "patient.registered": _("Patient registered"),
    "patient.updated": _("Patient details changed"),
    "patient.viewed": _("Patient record opened"),
    "patient.merged": _("Placeholder patient merged"),
    "allergy.recorded": _("Allergy recorded"),
    "allergy.changed": _("Allergy changed"),
    "allergy.status_changed": _("Allergy status changed"),
    # appointments
    "appointment.booked": _("Appointment booked"),
    "appointment.walk_in": _("Walk-in registered"),
    "appointment.rescheduled": _("Appointment rescheduled"),
    "appointment.checked_in": _("Patient checked in"),
    "appointment.consultation_started": _("Appointment moved to consultation"),
    "appointment.completed": _("Appointment completed"),
    "appointment.cancelled": _("Appointment cancelled"),
    "appointment.no_show": _("Appointment marked no-show"),
    "unavailability.created": _("Doctor unavailability added"),
    "unavailability.deleted": _("Doctor unavailability removed"),
    # consultations
    "consultation.opened": _("Consultation started"),
    "consultation.viewed": _("Consultation record opened"),
    "consultation.notes_saved": _("Consultation notes saved"),
    "consultation.completed": _("Consultation completed"),
    "consultation.amended": _("Consultation amended"),
    "consultation.follow_up_booked": _("Follow-up booked"),
    "vitals.recorded": _("Vital signs recorded"),
    "diagnosis.added": _("Diagnosis added"),
    "diagnosis.made_primary": _("Diagnosis made primary"),
    "diagnosis.removed": _("Diagnosis removed"),
    "diagnosis.amended": _("Diagnosis amended"),
    "prescription.item_added": _("Prescription line added"),
    "prescription.item_removed": _("Prescription line removed"),
    "prescription.printed": _("Prescription opened for printing"),
    # laboratory
    "lab_order.placed": _("Lab order placed"),
    "lab_order.viewed": _("Lab order opened"),
    "lab_order.collected": _("Sample collected"),
    "lab_order.results_recorded": _("Lab results entered"),
    "lab_order.results_submitted": _("Lab results submitted"),
    "lab_order.approved": _("Lab results approved"),
    "lab_order.returned_for_approval": _("Lab order returned for approval"),
    "lab_order.cancelled": _("Lab order cancelled"),
    "lab_result.amended": _("Lab result amended"),
    "lab_report.printed": _("Lab report opened for printing"),
    "lab_test.updated": _("Lab test changed"),
    # radiology
    "radiology_study.ordered": _("Imaging study ordered"),
    "radiology_study.viewed": _("Imaging study opened"),
    "radiology_study.scheduled": _("Imaging study scheduled"),
    "radiology_study.performed": _("Imaging study performed"),
    "radiology_study.report_saved": _("Radiology report saved"),
    "radiology_study.reported": _("Radiology report submitted"),
    "radiology_study.verified": _("Radiology report verified"),
    "radiology_study.cancelled": _("Imaging study cancelled"),
    "radiology_study.amended": _("Radiology report amended"),
    "radiology_report.printed": _("Radiology report opened for printing"),
    "radiology_attachment.added": _("Image or scan attached to a study"),
    "radiology_attachment.viewed": _("Study image or scan opened"),
    "examination.updated": _("Imaging examination changed"),
    # admissions
    "ward.created": _("Ward created"),
    "ward.updated": _("Ward changed"),
    "room.created": _("Room created"),
    "bed.created": _("Bed created"),
    "bed.cleaned": _("Bed marked clean"),
    "admission_request.created": _("Admission requested"),
    "admission_request.cancelled": _("Admission request cancelled"),
    # the emergency department (apps.emergency)
    "er_visit.registered": _("Emergency visit registered"),
    "er_visit.triaged": _("Emergency triage recorded"),
    "er_visit.merged": _("Emergency visit moved to the real patient"),
    "er_visit.called": _("Emergency patient called"),
    "er_visit.treatment_started": _("Emergency treatment started"),
    "er_visit.move_undone": _("Emergency board move undone"),
    "er_visit.closed": _("Emergency visit ended"),
    "er_visit.expired": _("Emergency visit expired"),
    "admission.admitted": _("Patient admitted"),
    "admission.transferred": _("Patient transferred"),
    "admission.discharged": _("Patient discharged"),
    "admission.cancelled": _("Admission cancelled"),
    "admission.discharge_planned": _("Discharge planned"),
    "admission.nursing_note_added": _("Nursing note added"),
    "admission.dose_recorded": _("Dose recorded"),
    "admission.summary_printed": _("Discharge summary opened for printing"),
    # pharmacy
    "medicine.created": _("Medicine added"),
    "medicine.updated": _("Medicine changed"),
    "supplier.created": _("Supplier added"),
    "supplier.updated": _("Supplier changed"),
    "stock.received": _("Stock received"),
    "stock.adjusted": _("Stock adjusted"),
    "sale.created": _("Sale made"),
    "sale.returned": _("Sale returned"),
    "sale.viewed": _("Sale opened"),
    # billing
    "invoice.created": _("Invoice created"),
    "invoice.line_added": _("Invoice line added"),
    "invoice.line_removed": _("Invoice line removed"),
    "invoice.discount_set": _("Invoice discount set"),
    "invoice.issued": _("Invoice issued"),
    "invoice.cancelled": _("Invoice cancelled"),
    "invoice.credited": _("Credit note issued"),
    "invoice.payment_recorded": _("Payment recorded"),
    "invoice.written_off": _("Invoice written off"),
    "invoice.viewed": _("Invoice opened"),
    "payment.receipt_printed": _("Receipt opened for printing"),
    "billable.withdrawn": _("Charge withdrawn"),
    "service.created": _("Price list service added"),
    "service.updated": _("Price list service changed"),
    # a module's settings
    "settings.changed": _("Settings changed"),
    "consultation_cover.granted": _("Covering doctor added"),
    "consultation_cover.withdrawn": _("Covering doctor removed"),
    # reference data
    "reference.created": _("Reference data added"),
    "reference.changed": _("Reference data changed"),
    "reference.deleted": _("Reference data removed"),
}


def action_label(code: str) -> str:
    """The label of ``code``, or the code itself for one this version does not know (a
    row written by a newer version, read during a rolling upgrade)."""
    label = ACTIONS.get(code)
    return str(label) if label is not None else code
