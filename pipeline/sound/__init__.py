"""The lecture's sound: speech, loudness, the mix, and the captions timed by the speech."""
