"""Leads: people who want to enrol or be contacted, from the chat to the admissions team."""
