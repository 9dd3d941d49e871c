// SPDX-License-Identifier: MIT
#pragma once

// Every number the rules use, in one place, with its source. docs/rules.md explains
// each; change a number here and the docs with it.

#include <string_view>

namespace casewatch::thresholds {

// A form with no posted time may be inquired about after 6 months pending.
// https://www.dhs.gov/cis-ombudsman-web-alerts
inline constexpr int k_no_posted_time_months = 6;

// USCIS's reply goal for a service request: 15 business days.
// https://www.uscis.gov/newsroom/alerts/uscis-updates-guidance-on-case-assistance-and-feedback
inline constexpr int k_reply_goal_business_days = 15;

// CIS Ombudsman: a USCIS contact at least 60 and at most 90 days old.
// https://www.dhs.gov/case-assistance ; https://www.dhs.gov/cisombudsman-frequentlyaskedquestions
inline constexpr int k_ombudsman_min_contact_age_days = 60;
inline constexpr int k_ombudsman_max_contact_age_days = 90;
// The Ombudsman's window is urgent from its last day - 7 (docs/rules.md `ombudsman`).
inline constexpr int k_ombudsman_closing_days = 7;

// A priority date that becomes current on the first day of a month: the delay ladder
// resumes 120 days later (a convention from USCIS liaison guidance, not a rule).
inline constexpr int k_visa_resume_days = 120;

// An I-765 renewal received on or after 2025-10-30 gets no automatic extension of the card
// it renews (interim final rule, 90 FR 48799).
// https://www.federalregister.gov/citation/90-FR-48799
inline constexpr int k_ead_no_extension_year = 2025;
inline constexpr unsigned k_ead_no_extension_month = 10;
inline constexpr unsigned k_ead_no_extension_day = 30;

// Congressional inquiry: 30 days after the last contact, answered or not (practitioners'
// convention, not a rule), and again 60 days after the last one.
inline constexpr int k_congress_after_contact_days = 30;
inline constexpr int k_congress_repeat_days = 60;

// Mandamus consultation: 12 months past the inquiry date (a convention, not law: a cautious
// reading of the practitioners' 12-24 month ranges; courts have often found delays of two
// years or more reasonable under the TRAC factors; never presented as due).
inline constexpr int k_mandamus_months_past_inquiry = 12;

// N-400: USCIS decides within 120 days after the initial examination; 8 U.S.C. 1447(b).
inline constexpr int k_n400_decision_days = 120;

// Lockbox: ask about a package after 30 business days.
// https://www.uscis.gov/about-us/organization/directorates-and-program-offices/management-directorate/office-of-intake-and-document-production/lockbox-filing-information
inline constexpr int k_lockbox_business_days = 30;

// A mailed card or notice not arrived after 30 days. CIS Ombudsman tips; docs/rules.md
// `non-delivery`.
inline constexpr int k_non_delivery_days = 30;

// Premium processing clocks (business days since April 1, 2024). 8 CFR 106.4.
inline constexpr int k_premium_business_days = 15;
inline constexpr int k_premium_long_business_days = 45;     // I-140 E13, NIW
inline constexpr int k_premium_fmj_opt_business_days = 30;  // I-539 F/M/J, I-765 (c)(3)

// Response periods: 8 CFR 103.2(b)(8); USCIS policy memo PM-602-0040.
inline constexpr int k_rfe_response_days = 84;
inline constexpr int k_rfe_response_days_i539 = 30;
// An N-400's request for evidence (Form N-14): 30 days. 8 CFR 335.7.
inline constexpr int k_rfe_response_days_n400 = 30;
inline constexpr int k_noid_response_days = 30;
// Stages before a due date: info, action, urgent.
inline constexpr int k_due_info_days_before = 30;
inline constexpr int k_due_action_days_before = 14;
inline constexpr int k_due_urgent_days_before = 7;

// Appeal or motion: 30 days after the decision (33 when mailed; the earlier is shown; an
// EOIR-29 must be received within 30 days in any case). 8 CFR 336.2 (N-336), 103.3(a)(2)
// (I-290B appeal), 103.5(a)(1)(i) (motion), 1003.3(a)(2) (EOIR-29).
inline constexpr int k_appeal_days = 30;

// A revoked petition's appeal (Form I-290B): 15 days after the revocation, 18 when it was
// mailed (the earlier is shown). 8 CFR 205.2(d); 103.8(b).
inline constexpr int k_revocation_appeal_days = 15;

// How long USCIS's latest status stays a `status` finding after its date (a piece of news
// in show and list; check reports it once). casewatch's choice, not a rule.
inline constexpr int k_status_news_days = 30;

// A processing-time row published more than 60 days before as_of is stale: one notice per
// report (StaleNotice), not a finding per case. USCIS updates around the 15th.
inline constexpr int k_times_stale_days = 60;

// Visa Bulletin (priority-date): a priority date is current only when it is strictly earlier
// than the cutoff ("Numbers are authorized ... only for applicants whose priority date is
// earlier than the final action date listed"), or the cell is C; never when it is U.
// https://travel.state.gov/content/travel/en/legal/visa-law0/visa-bulletin.html
// Adjustment applicants use Final Action Dates unless USCIS says, each month and separately
// for family and employment, that Dates for Filing may be used:
// https://www.uscis.gov/green-card/green-card-processes-and-procedures/visa-availability-priority-dates/adjustment-of-status-filing-charts-from-the-visa-bulletin
// "Current since" and "unchanged since" walk back at most this many monthly bulletins (ten
// years; the dataset begins with October 2015).
inline constexpr int k_bulletin_history_months = 120;

// Document windows (docs/rules.md, "Document windows"). Every clock is calendar days.
// Conditional residence lasts 2 years; the I-751 (or I-829) may be filed in the 90 days
// before its second anniversary, urgent from 30 days before it. INA 216(d)(2), 8 CFR
// 216.4(a), 216.6(a); https://www.uscis.gov/i-751
inline constexpr int k_conditional_months = 24;
inline constexpr int k_i751_window_days = 90;
inline constexpr int k_i751_urgent_days = 30;
// A receipt notice of an I-751 or I-829 is evidence of status for 48 months past the card's
// expiry, as USCIS announced (2023); check uscis.gov/i-751. The stamp appointment is asked
// for 90 days before that ends (casewatch's choice).
inline constexpr int k_i751_receipt_extension_months = 48;
inline constexpr int k_stamp_before_days = 90;
// Naturalization: 5 years of permanent residence (3 married to a citizen); the N-400 may be
// filed 90 days before. INA 316(a), 319(a), 334(a); 8 CFR 334.2(b).
// https://www.ecfr.gov/current/title-8/section-334.2
inline constexpr int k_n400_residence_years = 5;
inline constexpr int k_n400_marriage_years = 3;
inline constexpr int k_n400_early_days = 90;
// A trip of more than 6 months is a presumed break in continuous residence, one of 1 year or
// more breaks it; after one, 4 years and a day (2 years and a day on the 3-year track) must
// pass. 8 CFR 316.5(c)(1); https://www.ecfr.gov/current/title-8/section-316.5
inline constexpr int k_trip_presumed_break_months = 6;
inline constexpr int k_trip_break_months = 12;
inline constexpr int k_after_break_years = 4;
inline constexpr int k_after_break_years_marriage = 2;
// Physical presence: half the period, 913 days of 5 years, 548 of 3. 8 CFR 316.2(a)(4),
// 319.1(a)(4).
inline constexpr int k_presence_days = 913;
inline constexpr int k_presence_days_marriage = 548;
// An EAD renewal may be filed up to 180 days before expiry; casewatch says act at 120 and
// hurry at 60 days before it. https://www.uscis.gov/i-765
inline constexpr int k_ead_renew_from_days = 180;
inline constexpr int k_ead_action_days = 120;
inline constexpr int k_ead_urgent_days = 60;
// A renewal received on or after 2025-10-30 extends nothing: urgent 30 days before expiry.
inline constexpr int k_ead_no_extension_urgent_days = 30;
// The automatic extension of a timely renewal received before 2025-10-30: up to 540 days, as
// USCIS announced (2024; 89 FR 24628); check uscis.gov.
inline constexpr int k_ead_extension_days = 540;
// DACA: USCIS asks for renewals 150 to 120 days before expiry. https://www.uscis.gov/daca
inline constexpr int k_daca_info_days = 150;
inline constexpr int k_daca_action_days = 120;
inline constexpr int k_daca_urgent_days = 60;
// A 10-year green card: Form I-90 within 6 months of expiry; the I-90 receipt notice with the
// card is evidence of status for 36 months past it, as USCIS announced (2024); check
// uscis.gov/i-90.
inline constexpr int k_green_card_renew_months = 6;
inline constexpr int k_i90_receipt_extension_months = 36;
// Advance parole: info 60, action 30, urgent 7 days before its last day (casewatch's
// choice; the document is not extended). https://www.uscis.gov/i-131
inline constexpr int k_parole_info_days = 60;
inline constexpr int k_parole_action_days = 30;
inline constexpr int k_parole_urgent_days = 7;
// The consular stage (docs/rules.md, "The consular stage"). Sources: travel.state.gov (the
// immigrant visa process); INA 203(g) (8 U.S.C. 1153(g)), 221(c) (8 U.S.C. 1201(c)); 22 CFR
// 42.81(e), 42.83; 9 FAM 504.13; 8 CFR 205.1(a)(1).
// nvc-transfer: after this many days with no NVC case, ask the NVC (a convention, not a rule).
inline constexpr int k_nvc_transfer_days = 60;
// nvc-203g: one year without contact after a notice of visa availability (INA 203(g)); the
// stages start at these months after the last step; reinstatement may be asked within two
// years (22 CFR 42.83).
inline constexpr int k_nvc_203g_months = 12;
inline constexpr int k_nvc_203g_info_months = 9;
inline constexpr int k_nvc_203g_action_months = 10;
inline constexpr int k_nvc_203g_urgent_months = 11;
inline constexpr int k_nvc_reinstate_months = 24;
// iv-221g-docs: a 221(g) refusal is overcome within one year without a new fee (22 CFR
// 42.81(e)); stages at these days before the year ends.
inline constexpr int k_221g_months = 12;
inline constexpr int k_221g_info_days_before = 90;
inline constexpr int k_221g_action_days_before = 60;
inline constexpr int k_221g_urgent_days_before = 30;
// iv-221g-admin: administrative processing; "you may inquire" and "consider an attorney"
// after these days (conventions, not rules).
inline constexpr int k_221g_admin_inquire_days = 60;
inline constexpr int k_221g_admin_attorney_days = 180;
// visa-validity: an immigrant visa is valid at most six months (INA 221(c)); without the
// printed expiry the last day is issued + 6 months - 1 day (assumed). Stages before it.
inline constexpr int k_visa_validity_months = 6;
inline constexpr int k_visa_info_days_before = 60;
inline constexpr int k_visa_action_days_before = 30;
inline constexpr int k_visa_urgent_days_before = 7;
// lpr-evidence: the visa with the admission stamp is evidence of permanent residence for one
// year (8 CFR 1.4, 22 CFR 42.73); no card by 10 months: ask for an appointment. A CR1/CR2
// entry is conditional for two years (INA 216; 8 CFR 216.4: file Form I-751 in the 90 days
// before).
inline constexpr int k_lpr_evidence_months = 12;
inline constexpr int k_lpr_no_card_months = 10;

// Expedite requests (docs/rules.md, "Expedite requests"): USCIS publishes no time for them;
// 15 business days is its general goal for a service request (a convention here). A need-by
// date within 14 days is urgent; an approved expedite with no decision after 2 months is
// stalled (conventions).
// https://www.uscis.gov/forms/filing-guidance/how-to-make-an-expedite-request
inline constexpr int k_expedite_followup_business_days = 15;
inline constexpr int k_expedite_needby_days = 14;
inline constexpr int k_expedite_stalled_months = 2;

}  // namespace casewatch::thresholds
