from monitor.ui import opgave_page_body

opgave_page_body("VW")
