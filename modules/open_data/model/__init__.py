"""Open data as pure functions: reading files, checking quality and metadata, publishing safely.

Everything here is plain Python, numpy and pandas: no widget and no plotting, so each function can
be tested, graded and reused outside Jupyter. Percentages are in % (0 to 100); dates are pandas
timestamps or ``datetime.date``.

Contents, in the order of the lessons (one file each, all importable from here):

1. Reading files (``csv_reader.py``): :func:`read_open_csv` (encoding, separator, decimal mark, dates,
   short and long rows, empty columns, all reported in a :class:`ReadReport`), :func:`detect_encoding`,
   :func:`detect_separator`, :func:`write_clean_csv`, :class:`UnreadableFileError`.
2. Data quality (``data_quality.py``): :data:`FOLD_RULE` and :func:`fold` (when two spellings name the
   same category), :func:`category_variants`, :func:`normalise_categories`, :func:`quality_report`
   returning a :class:`QualityReport`.
3. Metadata (``iso_metadata.py``): :data:`FIELDS`, :data:`COMPLETENESS_RULE`, :func:`read_record`
   (ISO 19139 XML into a :class:`MetadataRecord`), :func:`completeness`, :func:`missing_fields`,
   :func:`read_catalogue` (Avignon's 23 records as a table), :class:`MetadataError`.
4. DCAT-AP (``dcat_ap.py``): :func:`build_dataset` (mandatory fields checked, :class:`MissingFieldError`),
   :func:`from_record`, :func:`missing_recommended`, :func:`to_jsonld`.
5. Five stars (``five_stars.py``): :func:`rate` returning a :class:`StarRating`, :func:`licence_name`.
6. Service requests (``service_requests.py``): :func:`synthetic_requests`, a made-up table generated
   with :data:`SEED`; :data:`QUASI_IDENTIFIERS`, :data:`SENSITIVE`.
7. k-anonymity (``k_anonymity.py``): :data:`HIERARCHIES`, :func:`generalise`, :func:`equivalence_classes`,
   :func:`k_anonymity`, :func:`records_at_risk`, :func:`l_diversity`, :data:`LOSS_RULE` and
   :func:`information_loss`, :data:`K_TARGET`, :data:`MAX_LOSS`, and the graded check
   :func:`check_release` returning a :class:`ReleaseCheck`.

What a learner reads (reports, problems, verdicts, errors, the labels of fields and levels) is in the
learner's language (:mod:`modules.common.i18n`, catalogue ``modules/open_data/locale/fr.po``). The rules
and names kept as constants (:data:`FOLD_RULE`, :data:`COMPLETENESS_RULE`, :data:`LOSS_RULE`, the labels of
:data:`FIELDS` and of :data:`HIERARCHIES`) stay in English; :func:`fold_rule`, :func:`completeness_rule`,
:func:`loss_rule`, :func:`column_name` and ``_(label)`` give them in the learner's language. Numbers in
messages follow the language through ``wording.py``.
"""

from .csv_reader import (  # noqa: F401
    SEPARATORS,
    ReadReport,
    SkippedLine,
    UnreadableFileError,
    detect_encoding,
    detect_separator,
    read_open_csv,
    write_clean_csv,
)
from .data_quality import (  # noqa: F401
    FOLD_RULE,
    TYPE_NAMES,
    QualityReport,
    category_variants,
    fold,
    fold_rule,
    normalise_categories,
    quality_report,
)
from .dcat_ap import (  # noqa: F401
    MANDATORY,
    RECOMMENDED,
    Dataset,
    Distribution,
    MissingFieldError,
    build_dataset,
    from_record,
    missing_recommended,
    to_jsonld,
    valid_url,
)
from .five_stars import FORMATS, OPEN_LICENCES, StarRating, licence_name, rate  # noqa: F401
from .iso_metadata import (  # noqa: F401
    CATALOGUE,
    COMPLETENESS_RULE,
    FIELD_BY_NAME,
    FIELDS,
    NAMESPACES,
    SLUG,
    TOTAL_WEIGHT,
    Field,
    MetadataError,
    MetadataRecord,
    catalogue_files,
    completeness,
    completeness_rule,
    missing_fields,
    present_fields,
    read_catalogue,
    read_record,
    read_records,
)
from .k_anonymity import (  # noqa: F401
    COLUMN_NAMES,
    HIERARCHIES,
    K_TARGET,
    LOSS_RULE,
    MAX_LOSS,
    SUPPRESSED,
    Hierarchy,
    ReleaseCheck,
    check_release,
    column_name,
    equivalence_classes,
    generalise,
    information_loss,
    k_anonymity,
    l_diversity,
    loss_rule,
    records_at_risk,
)
from .service_requests import (  # noqa: F401
    CATEGORIES,
    NEIGHBOURHOODS,
    QUASI_IDENTIFIERS,
    SEED,
    SENSITIVE,
    synthetic_requests,
)

#: Where the course's datasets of this module are, for attribution (see modules.common.data).
BIKES = "montreal_comptage_velo_2012"
BIKES_FILE = "bikes.csv"
