"""Site photos: JPEG/PNG only, verified and re-encoded, random names, served with a check."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from keyprojects.dispatch import services
from keyprojects.dispatch.choices import ReportStatus
from keyprojects.dispatch.models import ReportPhoto
from tests import factories

pytestmark = pytest.mark.django_db


def image_bytes(fmt="JPEG", size=(64, 48), exif=False, taken=None):
    buf = io.BytesIO()
    img = Image.new("RGB", size, (200, 80, 40))
    kwargs = {}
    if exif or taken:
        data = Image.Exif()
        data[0x010F] = "SecretCamera"  # Make
        if taken:
            data.get_ifd(0x8769)[0x9003] = taken  # DateTimeOriginal
        kwargs["exif"] = data
    img.save(buf, fmt, **kwargs)
    return buf.getvalue()


@pytest.fixture
def draft(project):
    return factories.report(project, 3, "10", status=ReportStatus.DRAFT)


def _upload(client, report, content, name="site.jpg", content_type="image/jpeg"):
    return client.post(
        reverse("dispatch:photo_upload", args=[report.pk]),
        {"image": SimpleUploadedFile(name, content, content_type=content_type), "caption": "基坑"},
    )


@pytest.mark.parametrize(
    "fmt, name, mime", [("JPEG", "现场.jpg", "image/jpeg"), ("PNG", "工地照片.png", "image/png")]
)
def test_upload_and_view(client_for, reporter, draft, _media, fmt, name, mime):
    c = client_for(reporter)
    response = _upload(c, draft, image_bytes(fmt), name=name)
    assert response.status_code == 302
    photo = ReportPhoto.objects.get()
    assert photo.content_type == mime and (photo.width, photo.height) == (64, 48)
    assert photo.original_name == name and photo.caption == "基坑"
    stored = _media / photo.image.name
    assert stored.exists() and name not in photo.image.name
    assert photo.image.name.startswith("dispatch/photos/") and len(stored.stem) == 32
    with Image.open(stored) as img:
        assert img.format == fmt
    response = c.get(reverse("dispatch:photo_view", args=[draft.pk, photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == mime
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == stored.read_bytes()
    assert photo.history.count() == 1


def test_reencoding_drops_exif_but_keeps_capture_time(client_for, reporter, draft, _media):
    from django.utils import timezone

    original = image_bytes("JPEG", taken="2022:03:18 09:30:00")
    assert b"SecretCamera" in original
    c = client_for(reporter)
    _upload(c, draft, original)
    photo = ReportPhoto.objects.get()
    stored = (_media / photo.image.name).read_bytes()
    assert b"SecretCamera" not in stored and b"2022:03:18" not in stored
    assert timezone.localtime(photo.taken_at).strftime("%Y-%m-%d %H:%M") == "2022-03-18 09:30"
    page = c.get(reverse("dispatch:report_detail", args=[draft.pk])).content.decode()
    assert "拍摄于2022年3月18日 09:30" in page


def test_photo_without_exif_has_no_capture_time(client_for, reporter, draft):
    _upload(client_for(reporter), draft, image_bytes("PNG"), name="x.png")
    assert ReportPhoto.objects.get().taken_at is None


@pytest.mark.parametrize(
    "content, name, message",
    [
        (b"%PDF-1.4 not an image", "site.jpg", "不是有效的JPEG或PNG图片"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "x.png", "不是有效的JPEG或PNG图片"),
        (image_bytes("JPEG")[:100], "cut.jpg", "不是有效的JPEG或PNG图片"),
        (image_bytes("GIF"), "anim.jpg", "GIF格式，只接受JPEG或PNG格式"),
        (image_bytes("BMP"), "a.jpg", "BMP格式，只接受JPEG或PNG格式"),
    ],
)
def test_not_an_image_refused_and_nothing_written(
    client_for, reporter, draft, _media, content, name, message
):
    response = _upload(client_for(reporter), draft, content, name=name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReportPhoto.objects.exists()
    assert not (_media / "dispatch" / "photos").exists() or not any(
        (_media / "dispatch" / "photos").iterdir()
    )


def test_too_large_refused(client_for, reporter, draft, monkeypatch):
    monkeypatch.setattr(services, "PHOTO_MAX_BYTES", 1000)
    response = _upload(
        client_for(reporter), draft, image_bytes("PNG", size=(400, 400)) + b"0" * 2000
    )
    assert response.status_code == 400
    assert "超过上限" in response.content.decode()
    assert not ReportPhoto.objects.exists()


def test_empty_upload_refused(client_for, reporter, draft):
    response = client_for(reporter).post(reverse("dispatch:photo_upload", args=[draft.pk]), {})
    assert response.status_code == 400
    assert "请选择要上传的照片" in response.content.decode()


def test_photo_access_follows_report_scope(
    client_for, reporter, other_reporter, leader, office, sysadmin, draft, client
):
    _upload(client_for(reporter), draft, image_bytes())
    photo = ReportPhoto.objects.get()
    url = reverse("dispatch:photo_view", args=[draft.pk, photo.pk])
    assert client_for(other_reporter).get(url).status_code == 404
    assert client_for(sysadmin).get(url).status_code == 403
    assert client.get(url).status_code == 302  # anonymous → log-in
    assert client_for(leader).get(url).status_code == 404  # a draft: not the leader's to see
    assert client_for(office).get(url).status_code == 200
    # Not reachable as a static media URL.
    assert client_for(office).get("/media/" + photo.image.name).status_code == 404
    # A photo id under another report is not found.
    other = factories.report(draft.project, 2, "1")
    assert (
        client_for(office)
        .get(reverse("dispatch:photo_view", args=[other.pk, photo.pk]))
        .status_code
        == 404
    )


def test_no_uploads_after_submission(client_for, reporter, draft):
    services.submit(draft, by=reporter)
    response = _upload(client_for(reporter), draft, image_bytes())
    assert response.status_code == 403
    assert not ReportPhoto.objects.exists()


def test_delete_photo(client_for, reporter, draft, _media, django_capture_on_commit_callbacks):
    c = client_for(reporter)
    _upload(c, draft, image_bytes())
    photo = ReportPhoto.objects.get()
    path = _media / photo.image.name
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(reverse("dispatch:photo_delete", args=[draft.pk, photo.pk]))
    assert response.status_code == 302
    assert not ReportPhoto.objects.exists() and not path.exists()
