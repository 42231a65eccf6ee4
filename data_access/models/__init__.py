"""The warehouse's tables (SQLAlchemy 2 typed models), importable from one place."""

from data_access.models.base import Base
from data_access.models.dx import DxAssessment, DxCriteriaSet, DxCriterion, DxScore
from data_access.models.facts import (
    DOMAIN_FACTS,
    AdmissionCutoff,
    FactAdmin,
    FactEnrolment,
    FactExam,
    FactFacility,
    FactHealth,
    FactNonPublic,
    FactOutcome,
    FactStaff,
)
from data_access.models.geography import (
    MERGER_DATE,
    OLD_DISTRICT,
    OLD_PROVINCE,
    OLD_WARD,
    WARD_2025,
    AdminUnit,
    Population,
    UnitCrosswalk,
    unit_id,
)
from data_access.models.institutions import Institution
from data_access.models.plan import (
    DataDomain,
    PlanTask,
    PlanTaskUnit,
    PlanUnit,
    QuarterlyReport,
    TaskProgress,
)
from data_access.models.system import (
    ROLES,
    ApiToken,
    AuditLog,
    DataSource,
    IngestionBatch,
    User,
    UserUnit,
)

__all__ = [name for name in dir() if not name.startswith("_")]
