"""The receipt of a secret vote: the voter keeps the code, only its hash is stored on the
choice (services write it, selectors look a vote up by it)."""

import hashlib


def receipt_hash(ballot_id: int, code: str) -> str:
    normalised = "".join(code.split()).lower()
    return hashlib.sha256(f"allmende-ballot:{ballot_id}:{normalised}".encode()).hexdigest()
