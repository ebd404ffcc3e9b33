import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** Props of {@link ApiWebAcl}. */
export interface ApiWebAclProps {
  /** Prefix of the ACL name and its CloudWatch metric names, e.g. `lead-scoring-staging`. */
  readonly name: string;
  /** ARN of the API Gateway stage to protect. */
  readonly stageArn: string;
  /** Requests per client IP per 5-minute window before the rate-based rule blocks it. */
  readonly requestsPer5MinPerIp: number;
}

const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

const managed = (priority: number, name: string, excluded: readonly string[] = []): wafv2.CfnWebACL.RuleProperty => ({
  name,
  priority,
  overrideAction: { none: {} },
  statement: {
    managedRuleGroupStatement: {
      vendorName: 'AWS',
      name,
      ...(excluded.length > 0
        ? { ruleActionOverrides: excluded.map((r) => ({ name: r, actionToUse: { count: {} } })) }
        : {}),
    },
  },
  visibilityConfig: visibility(name),
});

/**
 * A regional WAFv2 web ACL on the API stage: AWS managed common rules and known-bad-inputs rules,
 * and a per-IP rate-based rule. The common set's 8 KB body-size rule only counts: a batch of a few
 * dozen leads is larger than 8 KB, and the API enforces its own body and row limits.
 *
 * @example
 * new ApiWebAcl(this, 'Waf', { name: 'lead-scoring-staging', stageArn: api.deploymentStage.stageArn, requestsPer5MinPerIp: 120000 });
 */
export class ApiWebAcl extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: ApiWebAclProps) {
    super(scope, id);
    this.webAcl = new wafv2.CfnWebACL(this, 'Acl', {
      name: `${props.name}-api`,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`${props.name}-api`),
      rules: [
        managed(0, 'AWSManagedRulesCommonRuleSet', ['SizeRestrictions_BODY']),
        managed(1, 'AWSManagedRulesKnownBadInputsRuleSet'),
        {
          name: 'RatePerIp',
          priority: 2,
          action: { block: {} },
          statement: {
            rateBasedStatement: { aggregateKeyType: 'IP', limit: props.requestsPer5MinPerIp, evaluationWindowSec: 300 },
          },
          visibilityConfig: visibility(`${props.name}-rate-per-ip`),
        },
      ],
    });
    new wafv2.CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
  }
}
