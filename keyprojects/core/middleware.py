class NoStoreForUsersMiddleware:
    """Pages shown to a logged-in user are never kept by browser or proxy caches
    (a shared office computer must not show the ledger after log-out via the back button)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "no-store, private"
        return response
