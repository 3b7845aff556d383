"""Log in (throttled, for the site and the admin), log out, and API tokens."""

# ruff: noqa: RUF012 — Django declares options (Meta, choices, error messages) as class-level lists
from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongkai.web.center.models import ApiToken
from gongkai.web.center.services import throttle, tokens
from gongkai.web.center.services.permissions import can_upload


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确",
        "inactive": "该账号已停用",
    }


class LoginView(auth_views.LoginView):
    template_name = "center/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        if lock := throttle.lock(username, throttle.client_address(request)):
            minutes = settings.GONGKAI_LOGIN_WINDOW_SECONDS // 60
            what = "该账号" if lock == "account" else "本机所在网络地址"
            form = self.get_form_class()(request)  # unbound: a locked login is never checked
            context = self.get_context_data(form=form, locked=f"{what}登录失败次数过多，请 {minutes} 分钟后再试")
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        throttle.record_failure(self.request.POST.get("username", ""), throttle.client_address(self.request))
        return super().form_invalid(form)

    def form_valid(self, form):
        throttle.reset(form.get_user().get_username())
        return super().form_valid(form)


def admin_login(request):
    """Stands in for the admin's own login form, which is not throttled: everyone logs in on the site's form."""
    if request.user.is_authenticated and not admin.site.has_permission(request):
        # Sending them to the site's login would bounce straight back here: it forwards logged-in users to `next`.
        raise PermissionDenied("当前账号没有管理后台的权限。如需以管理员身份登录，请先退出。")
    next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
    return auth_views.redirect_to_login(next_url)


@login_required
def token_list(request):
    new_key = None
    if request.method == "POST":
        if not can_upload(request.user):
            messages.error(request, "只有编辑或管理员可以创建接口令牌")
        else:
            _, new_key = tokens.issue(request.user, request.POST.get("name", ""))
    return render(
        request,
        "center/tokens.html",
        {"tokens": ApiToken.objects.filter(user=request.user).order_by("-created"), "new_key": new_key},
    )


@login_required
@require_POST
def token_delete(request, pk: int):
    get_object_or_404(ApiToken, pk=pk, user=request.user).delete()
    messages.success(request, "令牌已删除")
    return redirect("center:tokens")
