"""The public privacy page `/privacy`: what BOP keeps about a visitor, why, how long, whom to ask."""
