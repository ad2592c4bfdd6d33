# Numeric short dates as Slovenian forms write them: 20. 1. 2012.
DATE_FORMAT = "j. F Y"
SHORT_DATE_FORMAT = "j. n. Y"
DATETIME_FORMAT = "j. F Y, H:i"
SHORT_DATETIME_FORMAT = "j. n. Y H:i"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d. %m. %Y", "%d.%m.%y"]
