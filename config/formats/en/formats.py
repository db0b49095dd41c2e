"""English date formats for a German platform: Django's American defaults, with the time
on the 24-hour clock as German readers and the German interface have it. With "a.m." and
"p.m." every sentence that ends on a time ended in two full stops ("… 6:27 p.m.."); the
phase, notice, calm-mode and e-mail sentences all do."""

DATETIME_FORMAT = "N j, Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATETIME_FORMAT = "m/d/Y H:i"
