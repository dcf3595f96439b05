from pagemill.html import h1


def page(props, router):
    return h1["À propos" if router.locale == "fr" else "About"]
