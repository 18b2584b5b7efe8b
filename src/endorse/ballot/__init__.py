"""The ballot: contests and candidacies, shared by staff entry and official results."""
