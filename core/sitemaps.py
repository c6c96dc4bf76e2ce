"""The base of the site's sitemap sections: every address in every language, with its hreflang alternates."""

from django.contrib.sitemaps import Sitemap


class I18nSitemap(Sitemap):
    """A sitemap section listing each item in every language, with the other languages and x-default as
    alternates (Django's i18n sitemap), making each (item, language) address once per file.

    Django's Sitemap._urls() asks for every address six times with four languages (the entry, then the four
    languages and x-default as its alternates), each under translation.override() and through reverse(): 7,200
    times for a file of 300 cities, 55% of the file's time. The sitemap views make a new sitemap for each request
    (config/sitemaps.py holds the classes), so what is kept here lasts one file."""

    i18n, alternates, x_default = True, True, True

    def _urls(self, page, protocol, domain):
        self._addresses: dict[tuple, str] = {}
        try:
            return super()._urls(page, protocol, domain)  # type: ignore[misc]  # private: not in django-stubs
        finally:
            del self._addresses

    def _location(self, item, force_lang_code=None):
        obj, language = item
        key = (getattr(obj, "pk", obj), force_lang_code or language)
        if key not in self._addresses:
            self._addresses[key] = super()._location(item, force_lang_code)  # type: ignore[misc]
        return self._addresses[key]
