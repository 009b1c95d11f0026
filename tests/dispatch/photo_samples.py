"""Small generated photos for the phone reporting tests (Pillow, no files checked in)."""

import io

from PIL import Image


def jpeg(colour=(200, 80, 40), size=(64, 48), taken=None, gps=None, fmt="JPEG") -> bytes:
    """An image; `taken` "2022:03:18 09:30:00" sets EXIF DateTimeOriginal, `gps`
    ((d, m, s), "N", (d, m, s), "E") the camera's GPS tags."""
    buf = io.BytesIO()
    img = Image.new("RGB", size, colour)
    kwargs = {}
    if taken or gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneCamera"  # Make
        if taken:
            exif.get_ifd(0x8769)[0x9003] = taken
        if gps:
            lat, ns, lng, ew = gps
            exif.get_ifd(0x8825).update({1: ns, 2: lat, 3: ew, 4: lng})
        kwargs["exif"] = exif
    img.save(buf, fmt, **kwargs)
    return buf.getvalue()
