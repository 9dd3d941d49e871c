-- Built into uscis.db by tests/docs/run_doc_examples.py: the shape of the community daily
-- dataset (a table `processing_time` with the columns of USCIS's CSV).
CREATE TABLE processing_time (form_name TEXT, form_subtype TEXT, office_code TEXT,
  publication_date TEXT, form_note_en TEXT, range_upper REAL, range_upper_unit TEXT,
  range_lower REAL, range_lower_unit TEXT, service_request_date TEXT);
INSERT INTO processing_time VALUES ('I-765', '147-C9', 'NSC', 'November 15, 2026', 'NA',
  5.5, 'Months', 2, 'Months', 'June 01, 2026');
