"""Template context for every page: the user's role and what they may do."""

from gongkai.web.center.services.permissions import ROLE_NAMES, can_upload, role


def site(request):
    user_role = role(getattr(request, "user", None))
    return {
        "user_role": user_role,
        "user_role_name": ROLE_NAMES.get(user_role or "", ""),
        "can_upload": can_upload(getattr(request, "user", None)),
    }
