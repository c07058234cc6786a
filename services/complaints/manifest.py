"""Complaints (12369-style): filing, tracking, the public registry, the complaint desk."""

from services.complaints import demo, desk, model, open_data, registry  # noqa: F401  (tables)
from services.complaints.entry_points import ENTRY_POINTS
from services.complaints.use_cases import USE_CASES
from services.core.accounts import Role
from services.core.messages import N_
from services.shared.capability import DemoPart, HomeTile, Manifest, PageDecl

FILE_PAGE = PageDecl("complaints/complaint_file.py", N_("Report a problem"),
                     ":material/campaign:", "report", order=30)  # fmt: skip
TRACK_PAGE = PageDecl("complaints/complaint_track.py", N_("Track my report"), ":material/key:",
                      "track", order=31)  # fmt: skip
REGISTRY_PAGE = PageDecl("complaints/complaints.py", N_("Case registry"),
                         ":material/fact_check:", "complaints", order=32)  # fmt: skip
DESK_PAGE = PageDecl("complaints/staff_complaints.py", N_("Complaint desk"), ":material/inbox:",
                     "staff-complaints", staff=True,
                     roles=(Role.COMPLAINT_HANDLER, Role.COMPLAINT_SUPERVISOR),
                     order=10)  # fmt: skip

MANIFEST = Manifest(
    name="complaints",
    title=N_("Complaints"),
    pages=(FILE_PAGE, TRACK_PAGE, REGISTRY_PAGE, DESK_PAGE),
    tables=("complaint_case", "complaint_event", "complaint_message", "complaint_identity",
            "complaint_evidence"),
    endpoints=(
        open_data.SERVICES,
        open_data.REQUESTS,
        open_data.REQUEST,
        open_data.OPEN311_OTHER,
        open_data.CASES_FEED,
        open_data.CASE_FEED,
        open_data.EXPORT,
    ),
    staff_routes=(desk.ORIGINAL_ROUTE,),
    demo=(DemoPart("complaints", demo.generate, demo.expected_rows, demo.has_rows, order=30),),
    audit_actions={
        "complaint.file": N_("Complaint entered for a reporter"),
        "complaint.reissue_receipt": N_("New receipt issued for a complaint entered again"),
        "complaint.moderate": N_("Complaint published in the registry"),
        "complaint.accept": N_("Complaint accepted"),
        "complaint.not_accept": N_("Complaint not accepted"),
        "complaint.mark_duplicate": N_("Complaint marked as a duplicate"),
        "complaint.transfer": N_("Complaint transferred"),
        "complaint.object_transfer": N_("Complaint transfer returned"),
        "complaint.take_up": N_("Complaint handling started"),
        "complaint.site_check": N_("Complaint site check recorded"),
        "complaint.request_extension": N_("Complaint extension requested"),
        "complaint.approve_extension": N_("Complaint extension approved"),
        "complaint.refuse_extension": N_("Complaint extension refused"),
        "complaint.close": N_("Complaint closed"),
        "complaint.answer_review": N_("Complaint review answered"),
        "complaint.answer_re_review": N_("Complaint re-review answered"),
        "complaint.ask": N_("Question sent to a reporter"),
        "complaint.edit_public": N_("Complaint public text edited"),
        "complaint.personal_data_confirmed": N_("Public complaint text confirmed free of "
                                                "personal data"),
        "complaint.identity_opened": N_("Sealed reporter identity opened"),
        "complaint.original_opened": N_("Sealed original photo opened"),
    },
    home_tile=HomeTile(N_("Complaints and on-time rate"), registry.home_summary, order=30),
    entry_points=ENTRY_POINTS,
    use_cases=USE_CASES,
)
