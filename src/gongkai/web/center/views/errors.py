"""Friendly Chinese error pages; a user never sees a traceback."""

from django.shortcuts import render


def _page(request, status: int, title: str, detail: str):
    return render(request, "center/error.html", {"status": status, "title": title, "detail": detail}, status=status)


def bad_request(request, exception=None):
    return _page(request, 400, "请求无效", "请求的内容不完整或格式不正确，请返回重试。")


def bad_text(request):
    return _page(request, 400, "请求无效", "提交的内容中含有空字符（不可见的控制字符），请删除后重试。")


def permission_denied(request, exception=None):
    detail = str(exception) if exception and str(exception) else "您没有执行此操作的权限。"
    return _page(request, 403, "没有权限", detail)


def not_found(request, exception=None):
    return _page(request, 404, "页面不存在", "您访问的页面或年报不存在，可能已被删除。")


def method_not_allowed(request):
    # Not a Django handler: MethodNotAllowedPageMiddleware renders it for the empty 405 of a POST-only page.
    return _page(
        request,
        405,
        "访问方式不正确",
        "该地址不支持这种访问方式：提交类操作须使用页面上的按钮，不能直接打开链接。请返回上一页重试。",
    )


def server_error(request):
    return _page(request, 500, "服务器内部错误", "处理请求时出错，错误已记录。请稍后重试或联系管理员。")


def csrf_failure(request, reason=""):
    return _page(request, 403, "表单已过期", "页面停留时间过长或来源不被信任，请刷新页面后重新提交。")
