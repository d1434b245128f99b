"""Model backend with the login throttles of ``accounts.throttle`` (captcha, not a hard lock)."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from core.models import SecurityLog
from core.security import log_security

from . import throttle


class LoginThrottled(PermissionDenied):
    """Authentication refused before the password was checked; ``reason`` is
    ``"address_blocked"`` or ``"captcha_required"``."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _note(request, reason: str) -> None:
    # django.contrib.auth.authenticate() turns PermissionDenied into "no user"; the login form
    # reads the reason from the request to show the right message.
    if request is not None:
        request._login_throttled = reason


class ThrottledModelBackend(ModelBackend):
    """Refuses without checking the password while the address is blocked, or while the captcha
    is required and the caller has not had it solved (``throttle.mark_captcha_passed``).
    Every wrong password is written to the security log, which is what the throttles count."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get("username", "")
        if throttle.address_blocked(request):
            _note(request, "address_blocked")
            log_security(SecurityLog.Kind.LOCKED_OUT, request=request, username=username or "", scope="address")
            raise LoginThrottled("address_blocked")
        if not throttle.captcha_passed(request) and throttle.captcha_required(request, username or ""):
            _note(request, "captcha_required")
            raise LoginThrottled("captcha_required")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and username:
            log_security(SecurityLog.Kind.LOGIN_FAILED, request=request, username=username)
        return user

    def get_user(self, user_id):
        """The session's user with its membership, organisation, region and department type in the
        same statement: every page asks for them (scope, menu, the acting unit) — four lookups in one.
        The statement is compiled once per process and database (``_UserLoader``): compiling a
        select_related of five tables cost more than running it (issue 15, fixed cost of a page)."""
        user = _loader.load(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


USER_RELATIONS = ("membership__organisation__region", "membership__organisation__department_type")


class _UserLoader:
    """``User.objects.select_related(*USER_RELATIONS).get(pk=…)`` with the ORM's own compilation
    kept per database alias: the SQL, the selected columns and the related populators' layout do
    not depend on the pk; each call runs the statement with its pk and builds the instances the
    way ``ModelIterable`` does (converters, ``from_db``, related populators)."""

    SENTINEL = -7_301_955  # a pk no user has: only used to find the parameter in the compiled SQL

    def __init__(self):
        self._compiled: dict = {}

    def _queryset(self, db, pk):
        from django.contrib.auth import get_user_model

        return get_user_model()._default_manager.using(db).select_related(*USER_RELATIONS).filter(pk=pk)

    def _compile(self, db):
        from django.contrib.auth import get_user_model

        model = get_user_model()
        compiler = self._queryset(db, self.SENTINEL).query.get_compiler(using=db)
        sql, params = compiler.as_sql()
        if list(params) != [self.SENTINEL]:
            return None  # an unexpected shape: use the ORM each time
        return model, compiler, sql

    def load(self, user_id):
        from django.contrib.auth import get_user_model
        from django.db import DEFAULT_DB_ALIAS, connections, router
        from django.db.models.query import get_related_populators

        model = get_user_model()
        db = router.db_for_read(model) or DEFAULT_DB_ALIAS
        if not isinstance(user_id, int):
            return self._orm(db, user_id)
        key = (db, model)
        if key not in self._compiled:
            self._compiled[key] = self._compile(db)
        compiled = self._compiled[key]
        if compiled is None:
            return self._orm(db, user_id)
        model, compiler, sql = compiled
        with connections[db].cursor() as cursor:
            cursor.execute(sql, [user_id])
            rows = cursor.fetchmany(2)
        if len(rows) != 1:
            return None
        select, klass_info = compiler.select, compiler.klass_info
        select_fields = klass_info["select_fields"]
        start, end = select_fields[0], select_fields[-1] + 1
        init_list = [f[0].target.attname for f in select[start:end]]
        row = next(iter(compiler.results_iter([rows])))
        user = model.from_db(db, init_list, row[start:end])
        for populator in get_related_populators(klass_info, select, db):
            populator.populate(row, user)
        return user

    def _orm(self, db, user_id):
        from django.contrib.auth import get_user_model

        model = get_user_model()
        try:
            return model._default_manager.using(db).select_related(*USER_RELATIONS).get(pk=user_id)
        except model.DoesNotExist:
            return None


_loader = _UserLoader()


# Old dotted path kept so that a deployment's settings naming it keep working.
LockoutModelBackend = ThrottledModelBackend

