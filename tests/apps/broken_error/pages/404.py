def page(props):
    raise RuntimeError("the 404 page is broken")
