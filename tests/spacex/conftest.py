import io

import pytest


@pytest.fixture
def scase(make_case, users):
    """A civil case the demo judge hears with the clerk; the plaintiff (with the demo lawyer) and the demo
    defendant both take part on their own accounts."""
    from yunting.core.cases.models import Party
    from yunting.core.cases.services import case_add_participant

    case = make_case(participants=("judge", "clerk", "lawyer"))
    defendant = Party.objects.get(case=case, role="defendant")
    Party.objects.filter(pk=defendant.pk).update(user=users["defendant"])
    case_add_participant(case=case, user=users["defendant"], role="party", party=defendant)
    case.plaintiff = Party.objects.get(case=case, role="plaintiff")
    case.defendant = Party.objects.get(pk=defendant.pk)
    return case


@pytest.fixture
def login(client, users):
    """login("defendant") → the test client signed in as that cast member."""
    from django.test import Client

    def make(who: str) -> Client:
        c = Client()
        c.force_login(users[who])
        return c

    return make


@pytest.fixture
def outsider(db):
    """Someone with an account who takes part in none of the cases."""
    from yunting.core.people.models import User

    return User.objects.create_user(username="outsider", password="pw-for-tests-123", real_name="路人甲")


def strokes_png() -> bytes:
    """A handwritten-looking signature as the pad sends it."""
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (1800, 720), (255, 255, 255, 0))  # the page's canvas
    draw = ImageDraw.Draw(img)
    draw.line([(90, 450), (360, 180), (600, 510), (900, 150), (1260, 480), (1680, 240)], fill=(0, 0, 0, 255), width=14)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def data_url(png: bytes) -> str:
    import base64

    return "data:image/png;base64," + base64.b64encode(png).decode()
