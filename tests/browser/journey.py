"""What the browser journeys share: a role logging in on its own day."""

PASSWORD = "test-password-123"


def login(browser, live_server, username, *, width=1280):  # noqa: ANN001, ANN201
    """A new browser context for `username`: the clock moves weeks between the
    steps of a journey, past any session's lifetime, as between working days."""
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="sv-SE"
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("heading", name="Arbetslista").wait_for()
    return page
