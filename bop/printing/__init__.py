"""The shared printing kit, pure reportlab: no Flask, no database.

- `kit`: fonts, Arabic shaping, vector QR codes and the pictograms, for every printed document
- `text`: measuring and wrapping lines of text
- `cards`: visitor card sheets (ID-1, 2 x 5 on A4) and the koffietafel poster
"""
