"""The staff workspace (/staff): signed-in, server-rendered pages over the same services as the API.

How a page is built (see docs/CONVENTIONS.md, "Staff pages"):

    from litestar import Controller, get, post
    from endorse.deps import Conn
    from endorse.staff.session import Staff, requires_staff, staff_page

    class ThingPages(Controller):
        path = "/staff/things"
        guards = [requires_staff("viewer")]          # signed out -> the sign-in page

        @get("/")
        async def index(self, conn: Conn, staff: Staff) -> Template:
            return staff_page(staff, "staff/things.html", things=await service.list(conn))

        @post("/", guards=[requires_staff("editor")])
        async def add(self, conn: Conn, staff: Staff, data: ...) -> Redirect:
            await service.create(conn, ..., actor=staff.actor)   # audit names "staff:NAME"
            await flash(conn, staff, "Saved.")
            return Redirect("/staff/things")

A module `endorse.staff.<name>_pages` exposing `ROUTES` is picked up by endorse.staff.routes;
every route there sits behind the CSRF check (endorse.staff.csrf): each form carries
`{{ csrf_field(staff) }}`, htmx requests send the token as X-CSRF-Token by themselves.
"""
