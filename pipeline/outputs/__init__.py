"""What a render makes from the scenes: clips, the lecture, the deck, the pages, the manifest."""
