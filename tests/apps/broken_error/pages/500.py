def page(props):
    raise RuntimeError("the 500 page is broken")
