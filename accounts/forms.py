from django import forms

from .models import Competence, Sector


class CompetenceForm(forms.Form):
    sector = forms.ModelChoiceField(label="行业领域", queryset=Sector.objects.filter(is_active=True),
                                    widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    role = forms.ChoiceField(label="职责", choices=Competence.Role.choices,
                             widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
