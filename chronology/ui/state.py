"""Every key the app keeps in ``st.session_state`` (one browser session's state), in one place.

The modules that read and write a key import it from here, so a newcomer can see all a session
holds at a glance. Widget keys (a widget's ``key=``, e.g. the sidebar's filters, ``lanes``) live
with their widgets; the ones that hold ids of one data set are listed in :data:`PAGE_KEYS`.
"""

from __future__ import annotations

APP_KEY = "_chronology_app"
"""The :class:`~chronology.ui.session.App` that ``start`` prepared for this run's page."""

URL_CHECKED_KEY = "_chronology_url_checked"
"""True once the link this session opened with has been checked (filters naming unknown ids)."""

NOTICES_KEY = "_chronology_notices"
"""The notices about the opening link, shown once, on the run that read it."""

UPLOAD_KEY = "_chronology_upload"
"""This session's uploaded data set (a :class:`~chronology.ui.loading.Loaded`), if any."""

RESULT_KEY = "_chronology_import"
"""The last upload's :class:`~chronology.ui.uploads.ImportResult`, for the Import page."""

SHOWN_KEY = "_chronology_shown"
"""Which data set the session's widgets were made for (``dir:…`` or ``upload:<signature>``)."""

UPLOADER_KEY = "_chronology_uploader"
"""A counter: a new uploader widget after "Back to the bundled data"."""

SKIP_KEY = "_chronology_skip"
"""The signature of the upload whose good rows the user chose to load, skipping the bad ones."""

REMOTE_KEY = "_chronology_remote"
"""(address, upload signature) of the data set a link's ``?data=`` loaded."""

SCROLLED_KEY = "_scrolled"
"""(source, excerpt anchor) the Sources page's reader last scrolled to, so it scrolls once."""

PAGE_KEYS = ("event_pick", "actor_pick", "source_pick", "actor_children", "focal", "list_page")
"""Widget keys holding ids of one data set: dropped when the session switches data sets."""
