"""The home page and the about/privacy/methods page: they summarise the other capabilities."""

from services.core.messages import N_
from services.shared.capability import Manifest, PageDecl

HOME_PAGE = PageDecl("home/home.py", N_("Home"), ":material/home:", "home", default=True, order=0)
ABOUT_PAGE = PageDecl("home/about.py", N_("About, privacy and methods"), ":material/info:",
                      "about", order=1000)  # fmt: skip

MANIFEST = Manifest(name="home", title=N_("Home"), pages=(HOME_PAGE, ABOUT_PAGE))
