from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("选择文件"),
        help_text=_("支持 .xlsx、.xls、.csv（UTF-8 或 GBK 编码）；读取第一个工作表，第一行为表头。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}),
    )
