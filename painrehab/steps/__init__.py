"""The pathway's steps: their pages and the writes that span apps.

A folder per step (referral, triage, waiting list, new visit, assessment with
investigation, conference and plan, follow-up), each with its views and the
services that write a step together with its letters, forms or programme
places in one transaction. `episodes` holds the episode page and the worklist.

Layers: `pathway` holds the episode, its states and the rules every step
shares; documents, questionnaires, programmes and analytics sit above it and
hold foreign keys to the episode; the steps sit above all of them. The URLs
keep the "pathway" namespace and the templates stay in pathway/templates.
"""
