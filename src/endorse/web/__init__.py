"""What every server-rendered page shares: the Jinja layout, static files, security headers.

Each page-owning package (staff/, dashboard/) keeps its templates in `<package>/templates/<area>/`
and its scripts and styles in `<package>/static/`; they are found here by convention so a new
package only has to create those folders. No inline script or style anywhere: the CSP forbids it.
"""
