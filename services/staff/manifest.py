"""The staff side every capability shares: the staff desk, accounts and the audit log."""

from services.core import accounts, audit, demo_meta  # noqa: F401  (their tables)
from services.core.accounts import Role
from services.core.messages import N_
from services.shared.capability import DemoPart, Manifest, PageDecl
from services.staff import demo as staff_demo
from services.staff.use_cases import USE_CASES

DESK = PageDecl("staff/staff_desk.py", N_("Staff desk"), ":material/badge:", "staff",
                staff=True, order=0)  # fmt: skip
USERS = PageDecl("staff/staff_users.py", N_("Staff accounts"), ":material/group:", "staff-users",
                 staff=True, roles=(Role.ADMIN,), order=900)  # fmt: skip
AUDIT = PageDecl("staff/staff_audit.py", N_("Audit log"), ":material/history:", "staff-audit",
                 staff=True, roles=(Role.ADMIN,), order=910)  # fmt: skip

MANIFEST = Manifest(
    name="staff",
    title=N_("Staff accounts"),
    pages=(DESK, USERS, AUDIT),
    tables=("staff_user", "staff_role", "staff_session", "audit_log", "demo_dataset"),
    demo=(DemoPart("staff", staff_demo.generate, lambda _size: len(staff_demo.DEMO_STAFF),
                   order=0),),
    audit_actions={
        "login.ok": N_("Signed in"),
        "login.failed": N_("Failed sign-in"),
        "login.refused_locked": N_("Sign-in refused: locked for this address"),
        "login.locked": N_("Sign-in locked for one address after failed sign-ins"),
        "logout": N_("Signed out"),
        "staff.create": N_("Account created"),
        "staff.roles": N_("Roles changed"),
        "staff.activate": N_("Account activated"),
        "staff.deactivate": N_("Account deactivated"),
        "staff.unlock": N_("Account unlocked"),
        "staff.password_reset": N_("Password reset"),
        "audit.read": N_("Audit log read"),
        "demo.seed": N_("Sample data generated"),
        "backup.create": N_("Backup created"),
    },
    use_cases=USE_CASES,
    # signing in and out (portal/server.py), the lockout, the command line's seed and backup
    audited_elsewhere=("login.ok", "login.failed", "login.refused_locked", "login.locked",
                       "logout", "demo.seed", "backup.create"),
)
