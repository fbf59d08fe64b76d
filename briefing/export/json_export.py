"""``briefing export --to json``: the briefing in its JSON form (briefing.format.json_form).

Without ``--review`` the file is exactly ``encode_json`` of the briefing,
valid against ``briefing/briefing.schema.json``, and ``briefing check``
reads it back. With ``--review`` the same document ends with one more
member, ``"review"``: a ``briefing-review`` document
(briefing/review.schema.json) holding the analyst's review of this briefing
alone, which ``briefing review import`` reads when it is taken out on its
own. The reader of the JSON form leaves that member aside.

The output is the same bytes for the same briefing and review: the review
document's ``exported`` time is the newest time in the review itself, not the
time of the export.
"""

from __future__ import annotations

import msgspec

from briefing.export import ExportSubject
from briefing.format.json_form import REVIEW_MEMBER, encode_json, indented_json, json_object
from briefing.storage.review_exchange import FORMAT_NAME, FORMAT_VERSION, ReviewDocument, ReviewOfBriefing

# The review document's time when the review has none of its own (only reads and flags).
EPOCH = "1970-01-01T00:00:00Z"


def render(subject: ExportSubject) -> bytes:
    """The briefing as JSON, with its review as a final ``review`` member when the subject has one."""
    if subject.review is None:
        return encode_json(subject.briefing)
    document = json_object(subject.briefing)
    # Last, after the briefing's own members, so the briefing reads the same with or without it.
    document[REVIEW_MEMBER] = msgspec.to_builtins(review_document(subject.key, subject.review))
    return indented_json(msgspec.json.encode(document))


def review_document(key: str, review: ReviewOfBriefing) -> ReviewDocument:
    """The review of one briefing as a review export, timed by its own newest change."""
    return ReviewDocument(
        format=FORMAT_NAME, version=FORMAT_VERSION, exported=newest_time(review), briefings={key: review}
    )


def newest_time(review: ReviewOfBriefing) -> str:
    """The latest time a note or grading was made or changed; ``EPOCH`` when there is none."""
    # Every time is ISO 8601 in UTC to the second, of one width: the latest string is the latest time.
    times = [note.created for note in review.notes]
    times += [note.updated for note in review.notes]
    times += [grading.updated for grading in review.gradings]
    return max(times, default=EPOCH)
