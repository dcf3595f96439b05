from pagemill.html import p


def page(props):
    raise AssertionError("a redirecting page must not render")


async def get_server_side_props(ctx):
    post = ctx.params["post"]
    if not post.startswith("redir"):
        return {"props": {"post": post}}
    destination = "/404"
    if "dest-" in post:
        destination = post.split("dest-", 1)[1].replace("_", "/")
        if destination == "external":
            destination = "https://example.com/"
    redirect = {"destination": destination}
    if "statusCode-" in post:
        redirect["status_code"] = int(post.split("statusCode-", 1)[1][:3])
    else:
        redirect["permanent"] = "permanent" in post
    if "no-basepath" in post:
        redirect["base_path"] = False
    return {"redirect": redirect, "props": {"dropped": True}}
