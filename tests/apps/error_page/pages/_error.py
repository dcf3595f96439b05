from pagemill.html import h1


def page(props):
    return h1(id="error")[f"custom error {props['status_code']}"]
