"""The network's fields kept in every language (django-modeltranslation adds name_en, name_fr, ... beside name).

Country names in French, Spanish and Arabic come from CLDR (network/countries.py: cldr_country_names); staff may
override any of them in the admin. English keeps UNESCO's own names ("Viet Nam", "Türkiye").
"""

from modeltranslation.translator import TranslationOptions, register

from network.models import Award, City, Cluster, Country, Region


@register(Region)
class RegionTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Country)
class CountryTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(City)
class CityTranslationOptions(TranslationOptions):
    fields = ("description",)


@register(Award)
class AwardTranslationOptions(TranslationOptions):
    fields = ("citation",)


@register(Cluster)
class ClusterTranslationOptions(TranslationOptions):
    fields = ("name", "description")
